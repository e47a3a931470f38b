import { createStore } from 'zustand/vanilla';
import { exportContainer, exportDatasetAsync, type DatasetExportOptions, type ExportProgress, type ExportReport } from '../formats/exportDataset';
import type { ExportInput } from '../formats/exportImove';
import { PROFILES } from '../formats/exportProfiles';
import type { VideoStatus } from '../model/types';
import { loadCurated } from './curated';
import { saved } from './history';
import { statusOf } from './statuses';
import { studio } from './studioStore';

/**
 * The curator's export: approved pairs of the dataset's reviewed videos, streamed line by line
 * into the destination (a file the user picked, or Blob parts for a download), with progress, a
 * cancel, and a report of every record skipped and why.
 */
export type ExportChoice = Pick<DatasetExportOptions, 'profile' | 'time' | 'box' | 'frames' | 'container'> & { approvedVideosOnly?: boolean };

export interface ExportState {
  running: boolean;
  progress: ExportProgress | null;
  report: ExportReport | null;
  /** Videos exported with nominal times (never opened here, so the container's timestamps are unknown). */
  nominal: string[];
  error: string | null;
  fileName: string | null;
  /** Videos left out because they are back with their annotators (status returned). */
  returned: string[];
}

export const exportStore = createStore<ExportState>()(() => ({ running: false, progress: null, report: null, nominal: [], error: null, fileName: null, returned: [] }));

let controller: AbortController | null = null;

const REVIEWED: ReadonlySet<VideoStatus> = new Set(['submitted', 'approved']);
/** Lines are gathered into parts of about this size: few Blob parts, no giant string. */
const PART_CHARS = 1 << 20;

export interface LineSink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** Hand a Blob to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A download built from Blob parts (what every browser can do). */
function blobSink(fileName: string, type: string): LineSink {
  const parts: BlobPart[] = [];
  return {
    // Each part becomes a Blob at once, so its text leaves the JS heap (100,000 records ≈ 100 MB).
    write: async (chunk) => void parts.push(new Blob([chunk])),
    close: async () => void saveBlob(new Blob(parts, { type }), fileName),
    abort: async () => void (parts.length = 0),
  };
}

type SavePicker = (o: { suggestedName: string; types?: unknown[] }) => Promise<{ createWritable(): Promise<{ write(d: string): Promise<void>; close(): Promise<void>; abort(): Promise<void> }> }>;

/** A file on disk written as it goes (File System Access), when the browser offers it and a person is at the keyboard. */
async function pickFileSink(fileName: string, json: boolean): Promise<LineSink | null> {
  const picker = (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (!picker || navigator.webdriver) return null;
  try {
    const type = json ? { description: 'JSON', accept: { 'application/json': ['.json'] } } : { description: 'JSON Lines', accept: { 'application/jsonl': ['.jsonl'] } };
    const handle = await picker({ suggestedName: fileName, types: [type] });
    const w = await handle.createWritable();
    return { write: (c) => w.write(c), close: () => w.close(), abort: () => w.abort() };
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    return null;
  }
}

export function exportFileName(choice: ExportChoice): string {
  const ds = studio.getState().dataset;
  const stem = (ds?.name ?? 'dataset').replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';
  return `${stem}.${choice.profile}.${exportContainer(choice) === 'json' ? 'json' : 'jsonl'}`;
}

/** The dataset's videos an export reads, in dataset order. */
export function exportVideoIds(choice: ExportChoice): string[] {
  const want = choice.approvedVideosOnly ? new Set<VideoStatus>(['approved']) : REVIEWED;
  return (studio.getState().dataset?.videos ?? []).map((v) => v.id).filter((id) => want.has(statusOf(id)));
}

/**
 * The video as a training file names it: relative to the dataset's manifest (as the manifest wrote
 * it), not the absolute URL this browser fetched it from, so the JSONL is portable.
 */
export function portableSrc(src: string, datasetUrl: string | undefined): string {
  try {
    const base = datasetUrl && /^https?:/.test(datasetUrl) ? new URL('.', datasetUrl).href : null;
    if (base && src.startsWith(base)) return decodeURIComponent(src.slice(base.length));
    if (/^https?:/.test(src)) return decodeURIComponent(new URL(src).pathname.replace(/^\//, ''));
  } catch {
    // Not a URL: a local file's name, already portable.
  }
  return src;
}

async function* inputs(ids: string[], nominal: string[]): AsyncGenerator<ExportInput> {
  const ds = studio.getState().dataset;
  for (const id of ids) {
    const c = await loadCurated(id);
    if (!c) continue;
    if (c.timing.nominal) nominal.push(id);
    const a = c.annotation;
    const annotation = { ...a, video: { ...a.video, src: portableSrc(a.video.src, ds?.url) } };
    yield { annotation, keysOf: c.keysOf, timestamps: c.timing.timestamps, duration: c.timing.duration, reviews: a.reviews ?? {} };
  }
}

/** Run one export to `sink` (or to a file the user picks / a download). Resolves with the report. */
export async function runExport(choice: ExportChoice, sink?: LineSink): Promise<ExportReport | null> {
  if (exportStore.getState().running) return null;
  if (!PROFILES[choice.profile]) throw new Error(`unknown export profile "${choice.profile}"`);
  const fileName = exportFileName(choice);
  const json = exportContainer(choice) === 'json';
  controller = new AbortController();
  const signal = controller.signal;
  const ids = exportVideoIds(choice);
  const nominal: string[] = [];
  const returned = (studio.getState().dataset?.videos ?? []).map((v) => v.id).filter((id) => statusOf(id) === 'returned');
  exportStore.setState({ running: true, progress: { videosDone: 0, videosTotal: ids.length, written: 0, skipped: 0 }, report: null, nominal: [], error: null, fileName, returned });
  let out: LineSink | null = sink ?? null;
  try {
    out ??= (await pickFileSink(fileName, json)) ?? blobSink(fileName, json ? 'application/json' : 'application/jsonl');
    await saved();
    const run = exportDatasetAsync(inputs(ids, nominal), {
      profile: choice.profile,
      ...(choice.time ? { time: choice.time } : {}),
      ...(choice.box ? { box: choice.box } : {}),
      ...(choice.frames !== undefined ? { frames: choice.frames } : {}),
      ...(choice.container ? { container: choice.container } : {}),
      videosTotal: ids.length,
      signal,
      onProgress: (p) => exportStore.setState({ progress: p }),
    });
    let part = '';
    let lastYield = performance.now();
    for await (const line of run.lines) {
      part += line;
      if (part.length >= PART_CHARS) {
        await out.write(part);
        part = '';
      }
      // Hand the main thread back now and then, so the progress bar moves and Cancel is clickable.
      if (performance.now() - lastYield > 24) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = performance.now();
      }
    }
    // Nothing approved to write (a JSON array would still be "[]"): the report says why; no empty file.
    if (!run.report.written) await out.abort();
    else {
      if (part) await out.write(part);
      await out.close();
    }
    exportStore.setState({ running: false, report: run.report, nominal });
    return run.report;
  } catch (e) {
    await out?.abort().catch(() => undefined);
    const cancelled = signal.aborted || (e instanceof DOMException && e.name === 'AbortError');
    exportStore.setState({ running: false, error: cancelled ? 'Export cancelled: nothing was written.' : `Export failed: ${e instanceof Error ? e.message : String(e)}` });
    return null;
  } finally {
    controller = null;
  }
}

export function cancelExport(): boolean {
  if (!controller) return false;
  controller.abort(new DOMException('cancelled', 'AbortError'));
  return true;
}

/** The report as a JSON file (every skipped record with its reason). */
export function reportJson(r: ExportReport, nominal: string[], returned: string[] = []): string {
  return `${JSON.stringify({ ...r, nominalTimes: nominal, returnedVideos: returned }, null, 2)}\n`;
}
