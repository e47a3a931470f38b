import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

// Other configs (the benchmarks) extend this one from another folder: serve from the repo root.
const root = fileURLToPath(new URL('.', import.meta.url));

const port = 4317;
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts/,
  timeout: 120_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  webServer: [
    {
      // Serves the built app (npm test builds first).
      command: `npx vite preview --port ${port} --strictPort`,
      port,
      cwd: root,
      reuseExistingServer: !process.env.CI,
    },
  ],
});
