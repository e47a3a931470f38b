// `npm test`: everything a fresh clone needs, then type check, lint, unit and end-to-end tests.
import { ensureInstall, ensureModels, ensureChromium, run } from './env.mjs';

ensureInstall();
ensureModels();
const chromium = ensureChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium };
run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('npx', ['eslint', '.', '--max-warnings=0']);
run('npx', ['vitest', 'run'], { env });
run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['playwright', 'test', ...process.argv.slice(2)], { env });
console.log('\n✓ all tests passed');
