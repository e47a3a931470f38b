import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Cross-origin isolation: multi-threaded WASM (the encoder) needs SharedArrayBuffer.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

export default defineConfig({
  plugins: [react()],
  // A missing data file must be a 404, not the app's index.html (there is no client-side routing).
  appType: 'mpa',
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // The frame-clock harness is built too: its Playwright spec tests src/video apart from the app.
      input: { main: here('index.html'), frameclock: here('e2e/harness/frameclock.html'), exportbench: here('e2e/harness/export.html') },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.unit.test.ts'],
    environment: 'node',
    // A hang guard, not a budget: fuzz runs of thousands of inputs take seconds on a busy 2-core machine.
    testTimeout: 60_000,
  },
});
