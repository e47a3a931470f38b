import { adjacentSimilarity, suggestBoundaries } from '../encoder/boundaries';
import { EncoderClient } from '../encoder/encoderClient';
import { FrameGrabber } from '../encoder/frameGrabber';
import type { ProviderChoice } from '../encoder/provider';
import { applyAssisted, type AssistedBox } from '../model/assisted';
import { humanKeyIndex } from '../model/corrections';
import { boxAt, KEY_OUTSIDE } from '../model/keyframes';
import { setKey } from '../model/trackEdits';
import type { Track } from '../model/types';
import { loadCached, saveCached, type CachedFrame } from './embeddingCache';
import { encoderStore, type RetrackOutcome } from './encoderStore';
import { applyEdit } from './history';
import { listModels, modelBytes, wasmBase } from './modelLibrary';
import { load, saveSoon } from './persistence';
import { repaintOverlay } from './player';
import { shownKeys } from './shownKeys';
import { studio, type DatasetVideo } from './studioStore';

/**
 * The encoder's side of a session: one worker with one loaded model, one frame grabber per open
 * video, one job at a time (embedding a video or re-tracking an instance), each with progress and
 * a cancel. Derived data (boundaries, camera path) lives in encoderStore; the cache in IndexedDB.
 */

let client: EncoderClient | null = null;
let loadedKey = '';
let grabber: { src: string | Blob; g: Promise<FrameGrabber> } | null = null;
let job: AbortController | null = null;
/** Cached embeddings of the open video for the current model, by frame. */
let frames: Array<CachedFrame | undefined> = [];

const set = (p: Partial<ReturnType<typeof encoderStore.getState>>) => encoderStore.setState(p);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function videoKey(v: DatasetVideo): string {
  const src = v.file ? `file:${(v.file as File).name ?? ''}|${v.file.size}` : v.src;
  return `${v.id}|${src}`;
}

export async function refreshModels(): Promise<void> {
  const models = await listModels();
  const s = encoderStore.getState();
  const modelId = models.some((m) => m.manifest.id === s.modelId) ? s.modelId : (models[0]?.manifest.id ?? s.modelId);
  set({ models, modelId });
}

let loading: { key: string; promise: Promise<EncoderClient> } | null = null;

/** The client with the chosen model loaded for the chosen provider (one load at a time). */
function ensureLoaded(): Promise<EncoderClient> {
  const s = encoderStore.getState();
  const key = `${s.modelId}|${s.choice}`;
  if (client && loadedKey === key) return Promise.resolve(client);
  if (loading?.key === key) return loading.promise;
  const promise = loadNow(key).finally(() => {
    if (loading?.promise === promise) loading = null;
  });
  loading = { key, promise };
  return promise;
}

async function loadNow(key: string): Promise<EncoderClient> {
  if (!encoderStore.getState().models.length) await refreshModels();
  const s = encoderStore.getState();
  const entry = s.models.find((m) => m.manifest.id === s.modelId);
  if (!entry) throw new Error(`no encoder model "${s.modelId}" (built-in models come from \`npm run models\`)`);
  client?.dispose();
  client = null;
  loadedKey = '';
  set({ busy: s.busy ?? 'load', progress: s.progress ?? { label: `Loading ${entry.manifest.name}`, done: 0, total: 0 }, error: null, provider: null, reason: null });
  const c = new EncoderClient();
  try {
    const r = await c.load(entry.manifest, await modelBytes(entry), s.choice, wasmBase());
    const now = encoderStore.getState();
    if (`${now.modelId}|${now.choice}` !== key) {
      // The user chose another model or provider meanwhile: this session is not the one wanted.
      c.dispose();
      return await ensureLoaded();
    }
    client = c;
    loadedKey = key;
    set({ provider: r.provider, reason: r.reason, threads: r.threads });
    return c;
  } catch (e) {
    c.dispose();
    throw e;
  } finally {
    if (encoderStore.getState().busy === 'load') set({ busy: null, progress: null });
  }
}

function grabberFor(v: DatasetVideo): Promise<FrameGrabber> {
  const src = v.file ?? v.src;
  if (grabber?.src !== src) {
    void grabber?.g.then((g) => g.dispose()).catch(() => undefined);
    grabber = { src, g: FrameGrabber.open(src) };
  }
  return grabber.g;
}

/** Drop the grabber and derived data when the video closes or changes. */
export function watchOpenVideo(): void {
  studio.subscribe((s, prev) => {
    if (s.open === prev.open && s.video === prev.video) return;
    cancelJob();
    void grabber?.g.then((g) => g.dispose()).catch(() => undefined);
    grabber = null;
    frames = [];
    set({ embedded: 0, computed: 0, boundaries: [], camera: null, lastRetrack: null, progress: null, error: null });
    if (s.open && s.video) void loadForVideo();
  });
}

/** Read the cached embeddings of the open video (no model needed) and derive boundaries and camera. */
export async function loadForVideo(): Promise<void> {
  const s = studio.getState();
  if (!s.open || !s.video) return;
  const open = s.open;
  const cached = await loadCached(videoKey(open), encoderStore.getState().modelId, s.video.frameCount);
  if (studio.getState().open !== open) return;
  frames = cached;
  derive();
}

function derive(): void {
  const n = frames.length;
  const embs = frames.map((f) => f?.embedding ?? null);
  // Cuts and real changes of scene drop similarity by 0.3 or more; frame-to-frame noise of a
  // learned embedding on moving content reaches 0.05–0.08 (measured on the cut fixture).
  const boundaries = suggestBoundaries(adjacentSimilarity(embs), { minDrop: 0.12, madFactor: 6 }).map((b) => b.frame);
  let any = false;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let f = 1; f < n; f++) {
    const c = frames[f]?.camera;
    if (c) any = true;
    x[f] = x[f - 1]! + (c?.[0] ?? 0);
    y[f] = y[f - 1]! + (c?.[1] ?? 0);
  }
  set({ embedded: embs.filter(Boolean).length, boundaries, camera: any ? { x, y } : null });
  repaintOverlay();
}

export function cancelJob(): boolean {
  if (!job) return false;
  job.abort();
  job = null;
  return true;
}

function startJob(): AbortSignal {
  cancelJob();
  job = new AbortController();
  return job.signal;
}

function endJob(signal: AbortSignal): void {
  if (job?.signal === signal) job = null;
  set({ busy: null, progress: null });
}

const aborted = () => new DOMException('cancelled', 'AbortError');

function median(v: number[]): number | null {
  if (!v.length) return null;
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Embed every frame of the open video that the cache lacks. Resumes where a cancelled run stopped. */
export async function embedVideo(): Promise<{ computed: number; embedded: number }> {
  const s = studio.getState();
  if (!s.open || !s.video) throw new Error('no video is open');
  const open = s.open;
  const video = { width: s.video.width, height: s.video.height };
  const n = s.video.frameCount;
  const signal = startJob();
  const stale = () => signal.aborted || studio.getState().open !== open;
  try {
    const c = await ensureLoaded();
    const model = encoderStore.getState().modelId;
    const vkey = videoKey(open);
    frames = await loadCached(vkey, model, n);
    const missing = frames.flatMap((f, i) => (f ? [] : [i]));
    let done = n - missing.length;
    set({ busy: 'embed', progress: { label: 'Embedding frames', done, total: n }, computed: 0, error: null });
    const g = await grabberFor(open);
    const times: number[] = [];
    let batch: Array<[number, CachedFrame]> = [];
    let computed = 0;
    const sequence = `${vkey}|${model}`;
    // Decode the next frame while the worker encodes this one.
    let next: Promise<VideoFrame> | null = missing.length ? g.grab(primeIndex(missing[0]!)) : null;
    const order = missing.length && primeIndex(missing[0]!) !== missing[0] ? [missing[0]! - 1, ...missing] : missing;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const frame = await next!;
      next = k + 1 < order.length ? g.grab(order[k + 1]!) : null;
      if (stale()) {
        frame.close();
        void next?.then((f) => f.close()).catch(() => undefined);
        // Keep what was computed: a resumed run starts after it.
        await saveCached(vkey, model, batch).catch(() => undefined);
        throw aborted();
      }
      const r = await c.run(i, { frame, rotation: g.rotation }, video, { sequence });
      const isPrime = frames[i] !== undefined;
      if (isPrime) continue;
      times.push(r.ms);
      const item: CachedFrame = { embedding: r.embedding, camera: r.camera ? [r.camera.dx, r.camera.dy] : null };
      frames[i] = item;
      batch.push([i, item]);
      computed++;
      done++;
      if (batch.length >= 16 || k === order.length - 1) {
        await saveCached(vkey, model, batch);
        batch = [];
        set({ progress: { label: 'Embedding frames', done, total: n }, computed, msPerFrame: median(times) });
      }
    }
    if (batch.length) await saveCached(vkey, model, batch);
    derive();
    set({ computed, msPerFrame: median(times) });
    return { computed, embedded: encoderStore.getState().embedded };
  } catch (e) {
    if (!signal.aborted) set({ error: message(e) });
    else derive(); // what was embedded before the cancel still counts
    throw e;
  } finally {
    endJob(signal);
  }
}

/** To estimate the camera at the first missing frame, the frame before it is run first (not stored). */
function primeIndex(first: number): number {
  return first > 0 && frames[first - 1] ? first - 1 : first;
}

export async function setModel(id: string): Promise<void> {
  if (encoderStore.getState().modelId !== id) {
    cancelJob();
    set({ modelId: id, provider: null, reason: null });
    void loadForVideo();
  }
  await prepareEncoder();
}

export async function setChoice(choice: ProviderChoice): Promise<void> {
  if (encoderStore.getState().choice !== choice) {
    cancelJob();
    set({ choice });
  }
  await prepareEncoder();
}

/** Load the model now (so the UI can say which provider runs it) without encoding anything. */
export async function prepareEncoder(): Promise<void> {
  try {
    await ensureLoaded();
  } catch (e) {
    set({ error: message(e) });
  }
}

// ------------------------------------------------------------------------------------ re-track

/** How far a re-track from `from` may go in direction `dir`, and why it would stop there. */
export function retrackLimit(t: Track, from: number, dir: 1 | -1, frameCount: number): { to: number; reason: RetrackOutcome['reason'] } {
  const h = t.human;
  if (h) {
    const frames = Array.from(h.frames);
    const next = dir > 0 ? frames.find((f) => f > from) : [...frames].reverse().find((f) => f < from);
    if (next !== undefined) return { to: next - dir, reason: 'human-key' };
  }
  const keys = t.keys;
  const n = keys.frames.length;
  if (dir > 0) {
    if (n && keys.flags[n - 1]! & KEY_OUTSIDE && keys.frames[n - 1]! > from) return { to: keys.frames[n - 1]! - 1, reason: 'track-end' };
    return { to: frameCount - 1, reason: 'video-end' };
  }
  if (n && keys.frames[0]! < from) return { to: keys.frames[0]!, reason: 'track-end' };
  return { to: 0, reason: 'video-end' };
}

export async function retrack(opts: { trackId: string; frame: number; dir: 1 | -1; minConfidence?: number; maxFrames?: number }): Promise<RetrackOutcome> {
  const s = studio.getState();
  if (!s.open || !s.video || !s.annotation) throw new Error('no video is open');
  const open = s.open;
  const t = s.annotation.tracks.find((x) => x.id === opts.trackId);
  if (!t) throw new Error(`no instance "${opts.trackId}"`);
  const start = boxAt(shownKeys(t), opts.frame);
  if (!start) throw new Error(`instance #${t.id} is not shown at frame ${opts.frame}: place its box first`);
  const limit = retrackLimit(t, opts.frame, opts.dir, s.video.frameCount);
  let to = limit.to;
  let reason = limit.reason;
  if (opts.maxFrames !== undefined && Math.abs(to - opts.frame) > opts.maxFrames) {
    to = opts.frame + opts.dir * opts.maxFrames;
    reason = 'limit';
  }
  const total = Math.abs(to - opts.frame);
  if (total <= 0) throw new Error(`nothing to re-track: frame ${opts.frame} is already at the ${limit.reason === 'human-key' ? 'next keyframe of a person' : 'end'}`);
  const video = { width: s.video.width, height: s.video.height };
  const signal = startJob();
  const stale = () => signal.aborted || studio.getState().open !== open;
  set({ busy: 'retrack', progress: { label: `Re-tracking #${t.id}`, done: 0, total }, error: null });
  try {
    const c = await ensureLoaded();
    const g = await grabberFor(open);
    await c.trackStart(opts.frame, start.box, { frame: await g.grab(opts.frame), rotation: g.rotation }, video, opts.minConfidence);
    const out: AssistedBox[] = [{ frame: opts.frame, box: start.box, confidence: 1 }];
    let stoppedAt: number | null = null;
    let lost: 'confidence' | 'left-view' = 'confidence';
    let lastConf = 1;
    let next: Promise<VideoFrame> | null = g.grab(opts.frame + opts.dir);
    for (let k = 1; k <= total; k++) {
      const f = opts.frame + opts.dir * k;
      const frame = await next!;
      next = k < total ? g.grab(f + opts.dir) : null;
      if (stale()) {
        frame.close();
        void next?.then((x) => x.close()).catch(() => undefined);
        throw aborted();
      }
      const r = await c.trackStep(f, { frame, rotation: g.rotation });
      if (!r.box) {
        stoppedAt = f;
        lost = r.lost ?? 'confidence';
        lastConf = r.confidence;
        void next?.then((x) => x.close()).catch(() => undefined);
        break;
      }
      lastConf = r.confidence;
      out.push({ frame: f, box: r.box, confidence: r.confidence });
      if (k % 4 === 0 || k === total) set({ progress: { label: `Re-tracking #${t.id}`, done: k, total } });
    }
    const outcome: RetrackOutcome = {
      trackId: t.id,
      from: opts.frame,
      to: out[out.length - 1]!.frame,
      stoppedAt,
      reason: stoppedAt !== null ? lost : reason,
      confidence: lastConf,
    };
    const startBox = start.box;
    const needsKey = humanKeyIndex(t, opts.frame) < 0;
    applyEdit(opts.dir > 0 ? 'Re-track forward' : 'Re-track backward', (a, o) => applyAssisted(needsKey ? setKey(a, t.id, opts.frame, { box: startBox }, o) : a, t.id, out));
    set({ lastRetrack: outcome });
    return outcome;
  } catch (e) {
    if (!signal.aborted) set({ error: message(e) });
    throw e;
  } finally {
    endJob(signal);
  }
}

/** One frame through the loaded model (for checks and benchmarks; the UI embeds whole videos). */
export async function encodeFrame(index: number, opts: { features?: boolean } = {}): Promise<{ embedding: number[]; features: { dims: number[]; data: number[] } | null; ms: number; provider: string | null }> {
  const s = studio.getState();
  if (!s.open || !s.video) throw new Error('no video is open');
  const c = await ensureLoaded();
  const g = await grabberFor(s.open);
  const r = await c.run(index, { frame: await g.grab(index), rotation: g.rotation }, { width: s.video.width, height: s.video.height }, opts);
  return {
    embedding: Array.from(r.embedding),
    features: r.features ? { dims: [1, r.features.channels, r.features.height, r.features.width], data: Array.from(r.features.data) } : null,
    ms: r.ms,
    provider: encoderStore.getState().provider,
  };
}

// ------------------------------------------------------------------------------------ preferences

interface EncoderPrefs {
  modelId: string;
  choice: ProviderChoice;
  sceneRelative: boolean;
}
const PREFS_KEY = 'encoder-prefs';

/** Put back the model, provider and view the user chose (before a video opens: the cache is per model). */
export async function restoreEncoderPrefs(): Promise<void> {
  const p = await load<EncoderPrefs>(PREFS_KEY);
  if (p) set({ modelId: p.modelId, choice: p.choice, sceneRelative: p.sceneRelative });
  encoderStore.subscribe((s, prev) => {
    if (s.modelId !== prev.modelId || s.choice !== prev.choice || s.sceneRelative !== prev.sceneRelative) {
      saveSoon(PREFS_KEY, { modelId: s.modelId, choice: s.choice, sceneRelative: s.sceneRelative } satisfies EncoderPrefs);
    }
  });
}
