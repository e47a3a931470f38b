// `npm run bench`: build, run the browser benchmarks, print one flat JSON report
// (also written to $BENCH_OUT when set).
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureChromium, ensureInstall, ensureModels, root, run } from './env.mjs';

ensureInstall();
ensureModels();
const chromium = ensureChromium();
run('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: ['ignore', 2, 2] });
const result = path.join(mkdtempSync(path.join(tmpdir(), 'imove-bench-')), 'result.jsonl');
const r = spawnSync('npx', ['playwright', 'test', '--config', 'e2e/bench/bench.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 2, 2], // progress to stderr; stdout carries only the JSON report
  env: { ...process.env, CHROMIUM_PATH: chromium, BENCH_RESULT: result },
});
const report = { 'meta.date': new Date().toISOString(), 'meta.chromium': chromium };
if (existsSync(result)) for (const line of readFileSync(result, 'utf8').split('\n')) if (line.trim()) Object.assign(report, JSON.parse(line));
const json = JSON.stringify(report, null, 2);
console.log(json);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, json + '\n');
process.exit(r.status ?? 1);
