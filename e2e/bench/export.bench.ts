import { test } from '@playwright/test';
import { quantile, record } from './record';

/**
 * Export throughput and memory on 102,000 approved pairs (1,000 videos × 34 spans × 3 tasks), through
 * the same streaming export the app runs. Peak memory is the JS heap's high-water mark above the
 * baseline, sampled after each video (the Blob parts of the file live outside the JS heap).
 */
type Run = { pairs: number; written: number; skipped: number; ms: number; baselineMb: number; peakMb: number; bytes: number };

test('export: records per second and peak memory for 100,000 pairs', async ({ page }) => {
  await page.goto('/e2e/harness/export.html');
  await page.waitForFunction(() => (window as unknown as { exportBench?: unknown }).exportBench !== undefined);
  const runs: Run[] = [];
  for (let i = 0; i < 3; i++) {
    runs.push(await page.evaluate(() => (window as unknown as { exportBench: { run(n: number, s: number, p: string): Promise<Run> } }).exportBench.run(1000, 34, 'imove')));
  }
  const canonical = runs.map((r) => (r.written / r.ms) * 1000);
  const peaks = runs.map((r) => r.peakMb - r.baselineMb);
  const llava = await page.evaluate(() => (window as unknown as { exportBench: { run(n: number, s: number, p: string): Promise<Run> } }).exportBench.run(1000, 34, 'llava'));
  record({
    'export.records_per_s': Math.round(quantile(canonical, 0.5)),
    'export.records_per_s.llava': Math.round((llava.written / llava.ms) * 1000),
    'export.peak_mb.100000': Math.round(quantile(peaks, 0.5) * 10) / 10,
    'export.pairs': runs[0]!.pairs,
    'export.written': runs[0]!.written,
    'export.mb_written.100000': Math.round((runs[0]!.bytes / 2 ** 20) * 10) / 10,
  });
});

test('import: the largest third-party sample, and each interchange format at 100 tracks × 3,000 frames', async ({ page }) => {
  await page.goto('/e2e/harness/export.html');
  await page.waitForFunction(() => (window as unknown as { exportBench?: unknown }).exportBench !== undefined);
  const r = await page.evaluate(() => (window as unknown as { exportBench: { imports(n: number): Record<string, number> } }).exportBench.imports(5));
  record(Object.fromEntries(Object.entries(r).map(([k, v]) => [`import.${k}`, Math.round(v * 100) / 100])));
});
