import { defineConfig } from '@playwright/test';
import base, { chromiumArgs } from '../../playwright.config';

/** `npm run bench`: the browser benchmarks, one worker, no retries, results to BENCH_RESULT. */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: /.*\.bench\.ts/,
  timeout: 600_000,
  reporter: [['line']],
  use: {
    ...base.use,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...chromiumArgs, '--enable-precise-memory-info', '--js-flags=--expose-gc'] },
  },
});
