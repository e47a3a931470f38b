// Browser harness for `npm run bench` (e2e/bench/export.bench.ts drives it through window.exportBench):
// the whole-dataset export the app runs, on 100,000 generated approved pairs, into Blob parts as the
// app's download does, with the JS heap sampled after every video.
import { exportDataset } from '../../src/formats/exportDataset';
import type { ProfileId } from '../../src/formats/exportProfiles';
import { syntheticExportInputs } from '../bench/exportFixture';
import { parseInterchange, writeInterchange } from '../../src/formats/interchange';
import { keyframesFromDense } from '../../src/model/keyframes';
import type { Annotation, Box, Track } from '../../src/model/types';
import ytvisSample from '../../src/formats/testdata/third-party/youtube-vis/ann.json?raw';
import cvatSample from '../../src/formats/testdata/third-party/cvat/for_video_annotations.xml?raw';

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

function timedParse(text: string, name: string, hints = {}): number {
  const t0 = performance.now();
  parseInterchange(text, name, hints);
  return performance.now() - t0;
}

/** Import times: the largest third-party sample, and every format at 100 tracks × 3,000 frames (written by our writers). */
function imports(repeats: number) {
  const median = (f: () => number) => {
    const xs = Array.from({ length: repeats }, f).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  };
  const frames = 3000;
  const tracks: Track[] = Array.from({ length: 100 }, (_, t) => ({
    id: String(t + 1),
    category: 'car',
    provenance: 'model',
    keys: keyframesFromDense(0, Array.from({ length: frames }, (_, f): Box => [10 + t * 5 + f * 0.1, 20 + t * 3, 60 + t * 5 + f * 0.1, 80 + t * 3])),
  }));
  const a: Annotation = { video: { id: 'big', src: 'big.mp4', width: 1920, height: 1080, fps: 30, frameCount: frames }, tags: [], tracks, spans: [] };
  const hints = { width: 1920, height: 1080, fps: 30, frameCount: frames };
  const out: Record<string, number> = {
    'ms.youtube-vis.ann_json': median(() => timedParse(ytvisSample, 'ann.json')),
    'ms.cvat.datumaro_xml': median(() => timedParse(cvatSample, 'annotations.xml')),
  };
  for (const format of ['mot', 'cvat', 'labelstudio', 'youtubevis'] as const) {
    const files = writeInterchange(format, a, (t) => t.keys);
    const seq = files[1];
    const ms = median(() => timedParse(files[0]!.text, files[0]!.name, { ...hints, ...(seq ? { seqinfo: { text: seq.text, name: seq.name } } : {}) }));
    out[`ms.${format}.100x3000`] = ms;
    out[`mb_per_s.${format}`] = files[0]!.text.length / 2 ** 20 / (ms / 1000);
  }
  return out;
}

const api = { run, imports, gcAvailable: () => typeof (globalThis as unknown as { gc?: unknown }).gc === 'function' };
(window as unknown as { exportBench: typeof api }).exportBench = api;
document.getElementById('status')!.textContent = 'ready';
