// `npm start`: install, build, and serve the app with the demo dataset.
import { ensureInstall, ensureModels, run } from './env.mjs';

ensureInstall();
ensureModels();
run('npx', ['vite', 'build', '--logLevel', 'warn']);
const port = process.env.PORT ?? '4173';
console.log(`\niMOVE Studio: open http://localhost:${port}/  (demo dataset: http://localhost:${port}/?manifest=/demo/manifest.json)\n`);
run('npx', ['vite', 'preview', '--port', port, '--strictPort', '--host', process.env.HOST ?? 'localhost']);
