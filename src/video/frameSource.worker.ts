/// <reference lib="webworker" />
// Frame source: demuxes with mediabunny and decodes with WebCodecs, off the main thread.
// Every frame it sends is tagged with its display index (see timestamps.ts for the rule), so
// the main thread never has to turn seconds into frames.
//
// One job runs at a time (mediabunny's iterators are sequential). A newer request
// (seek / play / pause) supersedes the running one: the running job notices between two
// decoded frames, stops, and never sends its frame. The forward decode iterator survives
// superseded jobs, so rapid +1 steps keep decoding forward instead of restarting at a keyframe.

import {
  ALL_FORMATS,
  BlobSource,
  EncodedPacketSink,
  Input,
  UnsupportedInputFormatError,
  UrlSource,
  VideoSampleSink,
  type InputVideoTrack,
  type VideoSample,
} from 'mediabunny';
import type { FromWorker, ToWorker, VideoErrorInfo, VideoInfo } from './protocol';
import { displayTimestamps, duration, estimateFps, indexOfTimestamp, isVariableFrameRate } from './timestamps';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

class VideoError extends Error {
  constructor(readonly info: VideoErrorInfo) {
    super(info.message);
  }
}

// ---------------------------------------------------------------- state

let input: Input | null = null;
let sink: VideoSampleSink | null = null;
let ts: Float64Array<ArrayBuffer> = new Float64Array(0);
/** Display indices of key packets, ascending. */
let keyIndices = new Int32Array(0);
let httpStatus: { status: number; statusText: string; url: string } | null = null;

/** Most recently decoded frames by index, in LRU order (Map insertion order). Owned here. */
const cache = new Map<number, VideoFrame>();
let cacheCapacity = 32;

interface ForwardIterator {
  gen: AsyncGenerator<VideoSample, void, unknown>;
  /** Index of the last frame this iterator yielded (−1 before the first). */
  lastIndex: number;
}
let iter: ForwardIterator | null = null;

/** The request the main thread cares about now; anything else is stale. */
let latestId = 0;
let wakeUp: (() => void) | null = null;
function wake(): void {
  const w = wakeUp;
  wakeUp = null;
  w?.();
}

// ---------------------------------------------------------------- cache

function cachePut(index: number, frame: VideoFrame): void {
  const old = cache.get(index);
  if (old && old !== frame) old.close();
  cache.delete(index);
  cache.set(index, frame);
  while (cache.size > cacheCapacity) {
    const [k, f] = cache.entries().next().value as [number, VideoFrame];
    cache.delete(k);
    f.close();
  }
}

function cacheGet(index: number): VideoFrame | undefined {
  const f = cache.get(index);
  if (f) {
    cache.delete(index);
    cache.set(index, f);
  }
  return f;
}

function clearCache(): void {
  for (const f of cache.values()) f.close();
  cache.clear();
}

// ---------------------------------------------------------------- decoding

/** Display index of the last key frame at or before `index` (−1: hidden by an edit list, or none). */
function keyBefore(index: number): number {
  let lo = 0;
  let hi = keyIndices.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((keyIndices[mid] as number) <= index) {
      ans = keyIndices[mid] as number;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

async function dropIterator(): Promise<void> {
  const it = iter;
  iter = null;
  if (it) await it.gen.return(undefined).catch(() => undefined);
}

/**
 * The decoded frame `target` (owned by the cache: clone it before handing it out), or null if
 * the request went stale meanwhile. Continues the forward iterator when no key frame lies
 * between it and the target; otherwise restarts at the target's key frame and caches the frames
 * on the way, so that stepping back through that GOP is served from the cache.
 */
async function getFrame(target: number, stale: () => boolean): Promise<VideoFrame | null> {
  const hit = cacheGet(target);
  if (hit) return hit;
  if (!sink) throw new Error('not open');
  const reuse = iter !== null && iter.lastIndex < target && (keyBefore(target) <= iter.lastIndex || target - iter.lastIndex <= 3);
  if (!reuse) {
    await dropIterator();
    const key = keyBefore(target);
    const start = ts[key >= 0 ? key : 0] as number;
    iter = { gen: sink.samples(start), lastIndex: -1 };
  }
  const it = iter as ForwardIterator;
  for (;;) {
    if (stale()) return null;
    const r = await it.gen.next();
    if (r.done) {
      iter = null;
      throw new VideoError({
        kind: 'decode',
        message: `frame ${target} (t=${ts[target]}s) was not produced by the decoder (stream ended at frame ${it.lastIndex})`,
      });
    }
    const sample = r.value;
    const idx = indexOfTimestamp(ts, sample.timestamp);
    if (idx < 0 || sample.timestamp < -1e-7) {
      sample.close(); // hidden by an edit list, or a timestamp we do not know
      continue;
    }
    const frame = sample.toVideoFrame();
    sample.close();
    it.lastIndex = idx;
    cachePut(idx, frame);
    if (idx === target) return frame;
    if (idx > target) {
      // The target never came out (should not happen: every index is a packet timestamp).
      throw new VideoError({ kind: 'decode', message: `decoder skipped frame ${target} (got ${idx})` });
    }
  }
}

function send(index: number, requestId: number, frame: VideoFrame): void {
  const out = frame.clone();
  post({ type: 'frame', index, requestId, frame: out, timestamp: ts[index] as number }, [out]);
}

// ---------------------------------------------------------------- jobs

type Job =
  | { type: 'seek'; index: number; requestId: number }
  | { type: 'play'; fromIndex: number; requestId: number; maxInFlight: number };

let pendingJob: Job | null = null;
let running = false;
/** Frames of the current play stream not yet acknowledged by the main thread. */
let inFlight = 0;

function schedule(job: Job): void {
  latestId = job.requestId;
  pendingJob = job;
  wake();
  if (!running) void runJobs();
}

async function runJobs(): Promise<void> {
  running = true;
  while (pendingJob) {
    const job = pendingJob;
    pendingJob = null;
    const stale = (): boolean => job.requestId !== latestId;
    try {
      if (job.type === 'seek') {
        const f = await getFrame(job.index, stale);
        if (f && !stale()) send(job.index, job.requestId, f);
      } else {
        await play(job, stale);
      }
    } catch (e) {
      await dropIterator();
      if (!stale()) post({ type: 'error', error: toErrorInfo(e), requestId: job.requestId });
    }
  }
  running = false;
}

async function play(job: Extract<Job, { type: 'play' }>, stale: () => boolean): Promise<void> {
  inFlight = 0;
  for (let i = job.fromIndex; i < ts.length; i++) {
    while (inFlight >= job.maxInFlight && !stale()) {
      await new Promise<void>((resolve) => (wakeUp = resolve));
    }
    if (stale()) return;
    const f = await getFrame(i, stale);
    if (!f || stale()) return;
    inFlight++;
    send(i, job.requestId, f);
  }
  if (!stale()) post({ type: 'end', requestId: job.requestId });
}

// ---------------------------------------------------------------- open

function toErrorInfo(e: unknown): VideoErrorInfo {
  if (e instanceof VideoError) return e.info;
  if (httpStatus) {
    return {
      kind: 'http',
      status: httpStatus.status,
      message: `HTTP ${httpStatus.status} ${httpStatus.statusText} for ${httpStatus.url}`,
    };
  }
  if (e instanceof UnsupportedInputFormatError) {
    return { kind: 'unreadable', message: 'not a video file this app can read (unrecognised container format)' };
  }
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (e instanceof TypeError && /fetch|network/i.test(msg)) {
    return { kind: 'network', message: `could not fetch the video (network error or missing CORS headers): ${msg}` };
  }
  return { kind: 'unreadable', message: `unreadable or truncated video: ${msg}` };
}

async function open(
  src: string | Blob,
  cacheBytes: number,
  hardwareAcceleration: Extract<ToWorker, { type: 'open' }>['hardwareAcceleration'],
): Promise<VideoInfo> {
  const source =
    typeof src === 'string'
      ? new UrlSource(src, {
          requestInit: { mode: 'cors', credentials: 'same-origin' },
          fetchFn: async (req, init) => {
            const res = await fetch(req, init);
            if (!res.ok) httpStatus = { status: res.status, statusText: res.statusText, url: String(src) };
            return res;
          },
          // Retry transient failures twice; never retry an HTTP error status.
          getRetryDelay: (attempts) => (httpStatus || attempts >= 2 ? null : 0.25 * 2 ** attempts),
        })
      : new BlobSource(src);
  input = new Input({ source, formats: ALL_FORMATS });
  await input.getFormat();
  const track: InputVideoTrack | null = await input.getPrimaryVideoTrack();
  if (!track) throw new VideoError({ kind: 'no-video-track', message: 'the file has no video track' });
  const codecString = (await track.getCodecParameterString()) ?? '';
  const codec = track.codec ?? 'unknown';
  if (!(await track.canDecode())) {
    throw new VideoError({
      kind: 'unsupported-codec',
      codec: codecString || codec,
      message: `this browser cannot decode the video's codec: ${codec}${codecString ? ` (${codecString})` : ''}`,
    });
  }

  // Metadata-only pass over every packet: timestamps and key flags, no decoding.
  const packets = new EncodedPacketSink(track);
  const raw: number[] = [];
  const keys: number[] = [];
  let lastEnd = -Infinity;
  let lastDur = 0;
  let lastPacketTs = 0;
  for await (const p of packets.packets(undefined, undefined, { metadataOnly: true })) {
    raw.push(p.timestamp);
    if (p.type === 'key') keys.push(p.timestamp);
    if (p.timestamp + p.duration > lastEnd) {
      lastEnd = p.timestamp + p.duration;
      lastDur = p.duration;
    }
    lastPacketTs = p.timestamp;
  }
  ts = displayTimestamps(raw);
  if (ts.length === 0) throw new VideoError({ kind: 'unreadable', message: 'the video track has no frames' });
  keyIndices = Int32Array.from(
    keys.map((k) => indexOfTimestamp(ts, k)).filter((k) => k >= 0),
  ).sort();
  // Truncation check: the last packet's bytes must be readable (metadata comes from the index).
  const last = await packets.getPacket(lastPacketTs);
  if (!last || last.byteLength === 0) {
    throw new VideoError({ kind: 'unreadable', message: 'the video is truncated: its last frame has no data' });
  }

  const width = await track.getDisplayWidth();
  const height = await track.getDisplayHeight();
  const frameBytes = Math.max(1, track.codedWidth * track.codedHeight * 1.5);
  cacheCapacity = Math.max(8, Math.min(240, Math.floor(cacheBytes / frameBytes)));
  sink = new VideoSampleSink(track, { hardwareAcceleration: hardwareAcceleration ?? 'no-preference' });
  return {
    width,
    height,
    rotation: (await track.getRotation()) as VideoInfo['rotation'],
    codec,
    codecString,
    frameCount: ts.length,
    timestamps: ts,
    fps: estimateFps(ts),
    vfr: isVariableFrameRate(ts),
    duration: duration(ts, lastDur),
    startTime: ts[0] as number,
    hiddenPackets: raw.length - ts.length,
  };
}

async function close(): Promise<void> {
  latestId = -1;
  pendingJob = null;
  wake();
  await dropIterator();
  clearCache();
  input?.dispose();
  input = null;
  scope.close();
}

scope.onmessage = (ev: MessageEvent<ToWorker>): void => {
  const msg = ev.data;
  switch (msg.type) {
    case 'open':
      open(msg.src, msg.cacheBytes ?? 192 * 2 ** 20, msg.hardwareAcceleration).then(
        (info) => post({ type: 'info', info }),
        (e: unknown) => post({ type: 'error', error: toErrorInfo(e) }),
      );
      break;
    case 'seek':
      schedule({ type: 'seek', index: msg.index, requestId: msg.requestId });
      break;
    case 'play':
      schedule({ type: 'play', fromIndex: msg.fromIndex, requestId: msg.requestId, maxInFlight: msg.maxInFlight });
      break;
    case 'ack':
      if (msg.requestId === latestId && inFlight > 0) inFlight--;
      wake();
      break;
    case 'pause':
      latestId = msg.requestId;
      wake();
      break;
    case 'close':
      void close();
      break;
  }
};
