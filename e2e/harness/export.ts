// Browser harness for `npm run bench` (e2e/bench/export.bench.ts drives it through window.exportBench):
// the whole-dataset export the app runs, on 100,000 generated approved pairs, into Blob parts as the
// app's download does, with the JS heap sampled after every video.
import { exportDataset } from '../../src/formats/exportDataset';
import type { ProfileId } from '../../src/formats/exportProfiles';
import { syntheticExportInputs } from '../bench/exportFixture';

const PART_CHARS = 1 << 20;

function heapMb(): number {
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return m ? m.usedJSHeapSize / 2 ** 20 : NaN;
}

async function run(nVideos: number, spansPerVideo: number, profile: ProfileId) {
  const gc = (globalThis as unknown as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  const baseline = heapMb();
  let peak = baseline;
  const fixture = syntheticExportInputs(nVideos, spansPerVideo);
  const parts: BlobPart[] = [];
  let part = '';
  let chars = 0;
  const t0 = performance.now();
  const { lines, report } = exportDataset(fixture.inputs(), {
    profile,
    videosTotal: nVideos,
    onProgress: () => {
      peak = Math.max(peak, heapMb());
    },
  });
  for (const line of lines) {
    part += line;
    if (part.length >= PART_CHARS) {
      parts.push(new Blob([part]));
      chars += part.length;
      part = '';
    }
  }
  if (part) {
    parts.push(new Blob([part]));
    chars += part.length;
  }
  const blob = new Blob(parts, { type: 'application/jsonl' });
  const ms = performance.now() - t0;
  peak = Math.max(peak, heapMb());
  return { pairs: fixture.pairs, written: report.written, skipped: report.skipped.length, ms, baselineMb: baseline, peakMb: peak, bytes: blob.size, chars };
}

const api = { run, gcAvailable: () => typeof (globalThis as unknown as { gc?: unknown }).gc === 'function' };
(window as unknown as { exportBench: typeof api }).exportBench = api;
document.getElementById('status')!.textContent = 'ready';
