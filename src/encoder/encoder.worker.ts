/// <reference lib="webworker" />
// The encoder: ONNX Runtime Web off the main thread. It owns the session, turns pictures into
// tensors, and keeps the little state that must sit next to the feature maps (the previous map
// of a sequence for camera motion, the template of a running re-track) so maps never cross threads
// when they need not.
import * as ort from 'onnxruntime-web';
import { globalShift } from './cameraMotion';
import type { FeatureMap } from './featureMap';
import type { ModelManifest } from './manifest';
import { inputSize, toTensor } from './preprocess';
import { chooseProvider, wasmThreads, type AdapterFacts } from './provider';
import type { FeatureData, FromEncoder, Picture, RunResult, ToEncoder } from './protocol';
import { Tracker } from './tracker';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let session: ort.InferenceSession | null = null;
let manifest: ModelManifest | null = null;
let canvas: OffscreenCanvas | null = null;
/**
 * Camera path of the running sequence. Shifts are measured against a reference frame, not the
 * previous one: a slow pan is a fraction of a cell per frame, and summing per-frame sub-cell
 * estimates accumulates their bias; the reference moves on once the view has shifted enough.
 */
let sequenceState: { sequence: string; index: number; x: number; y: number; ref: { map: FeatureMap; x: number; y: number } } | null = null;
const REF_RENEW_CELLS = 2;
let tracker: Tracker | null = null;
let trackVideo = { width: 0, height: 0 };

function post(m: FromEncoder, transfer: Transferable[] = []): void {
  scope.postMessage(m, transfer);
}

// Only what we read of WebGPU (its DOM types are not in TypeScript's lib yet).
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

async function adapterFacts(): Promise<AdapterFacts> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return { adapter: null };
  try {
    const a = await gpu.requestAdapter();
    if (!a) return { adapter: undefined };
    const info = a.info ?? {};
    return { adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: info.isFallbackAdapter ?? a.isFallbackAdapter ?? false } };
  } catch {
    return { adapter: undefined };
  }
}

async function load(m: Extract<ToEncoder, { type: 'load' }>): Promise<void> {
  const t0 = performance.now();
  await session?.release().catch(() => undefined);
  session = null;
  sequenceState = null;
  tracker = null;
  const decision = chooseProvider(m.choice, await adapterFacts());
  const threads = wasmThreads(scope.crossOriginIsolated, navigator.hardwareConcurrency || 1);
  ort.env.wasm.wasmPaths = m.wasmBase;
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: [decision.provider], graphOptimizationLevel: 'all' };
  let provider = decision.provider;
  let reason = decision.reason;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(m.bytes), opts);
  } catch (e) {
    if (provider !== 'webgpu') throw e;
    // A WebGPU device can still fail to start (lost device, a kernel it lacks): say so and use WASM.
    provider = 'wasm';
    reason = `WebGPU failed (${e instanceof Error ? e.message : String(e)}): using WASM`;
    session = await ort.InferenceSession.create(new Uint8Array(m.bytes), { ...opts, executionProviders: ['wasm'] });
  }
  manifest = m.manifest;
  const need = [m.manifest.outputs.embedding.name, ...(m.manifest.outputs.features ? [m.manifest.outputs.features.name] : [])];
  const missing = need.filter((n) => !session!.outputNames.includes(n));
  if (missing.length || !session.inputNames.includes(m.manifest.input.name)) {
    const what = missing.length ? `output ${missing.map((n) => `"${n}"`).join(', ')}` : `input "${m.manifest.input.name}"`;
    throw new Error(`${m.manifest.file}: the model has no ${what} (it has inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')})`);
  }
  post({ type: 'loaded', id: m.id, provider, reason, threads: provider === 'wasm' ? threads : 0, ms: performance.now() - t0 });
}

/** RGBA at the model's input size, the video drawn whole (stretched: the feature grid maps linearly to video pixels). */
function pixels(p: Picture, w: number, h: number): Uint8ClampedArray {
  if (!canvas) canvas = new OffscreenCanvas(w, h);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  if ('frame' in p) {
    const rot = p.rotation ?? 0;
    try {
      if (rot === 0) ctx.drawImage(p.frame, 0, 0, w, h);
      else {
        const swap = rot === 90 || rot === 270;
        ctx.save();
        ctx.translate(w / 2, h / 2);
        ctx.rotate((rot * Math.PI) / 180);
        ctx.drawImage(p.frame, -(swap ? h : w) / 2, -(swap ? w : h) / 2, swap ? h : w, swap ? w : h);
        ctx.restore();
      }
    } finally {
      p.frame.close();
    }
  } else {
    const img = new ImageData(p.rgba, p.width, p.height);
    if (p.width === w && p.height === h) return img.data;
    const src = new OffscreenCanvas(p.width, p.height);
    src.getContext('2d')!.putImageData(img, 0, 0);
    ctx.drawImage(src, 0, 0, w, h);
  }
  return ctx.getImageData(0, 0, w, h).data;
}

async function infer(p: Picture, videoWidth: number, videoHeight: number, wantFeatures: boolean): Promise<{ embedding: Float32Array<ArrayBuffer>; map: FeatureMap | null }> {
  if (!session || !manifest) throw new Error('no model is loaded');
  const size = inputSize(videoWidth, videoHeight, manifest.input);
  const rgba = pixels(p, size.width, size.height);
  const data = toTensor(rgba, size.width, size.height, manifest.input);
  const dims = manifest.input.layout === 'NCHW' ? [1, 3, size.height, size.width] : [1, size.height, size.width, 3];
  const feeds = { [manifest.input.name]: new ort.Tensor('float32', data, dims) };
  const fo = manifest.outputs.features;
  const names = [manifest.outputs.embedding.name, ...(wantFeatures && fo ? [fo.name] : [])];
  const out = await session.run(feeds, names);
  const e = out[manifest.outputs.embedding.name]!;
  const embedding = new Float32Array((await e.getData()) as Float32Array);
  let map: FeatureMap | null = null;
  if (wantFeatures && fo) {
    const t = out[fo.name]!;
    const [, c, h, w] = t.dims as number[];
    map = { data: new Float32Array((await t.getData()) as Float32Array), channels: c!, width: w!, height: h!, scaleX: videoWidth / w!, scaleY: videoHeight / h! };
  }
  for (const t of Object.values(out)) t.dispose();
  return { embedding, map };
}

async function run(m: Extract<ToEncoder, { type: 'run' }>): Promise<void> {
  const t0 = performance.now();
  const wantCamera = m.sequence !== undefined && !!manifest?.outputs.features;
  const { embedding, map } = await infer(m.picture, m.videoWidth, m.videoHeight, !!m.features || wantCamera);
  let camera: RunResult['camera'] = null;
  if (wantCamera && map) {
    const prev = sequenceState;
    if (prev && prev.sequence === m.sequence && prev.index === m.index - 1) {
      const s = globalShift(prev.ref.map, map);
      const x = prev.ref.x + s.dx;
      const y = prev.ref.y + s.dy;
      camera = { dx: x - prev.x, dy: y - prev.y, confidence: s.confidence };
      const far = Math.abs(s.dx / map.scaleX) > REF_RENEW_CELLS || Math.abs(s.dy / map.scaleY) > REF_RENEW_CELLS;
      sequenceState = { sequence: m.sequence!, index: m.index, x, y, ref: far || s.confidence < 0.5 ? { map, x, y } : prev.ref };
    } else sequenceState = { sequence: m.sequence!, index: m.index, x: 0, y: 0, ref: { map, x: 0, y: 0 } };
  }
  const features: FeatureData | undefined = m.features && map ? { data: map.data.slice(), channels: map.channels, width: map.width, height: map.height } : undefined;
  const result: RunResult = { index: m.index, embedding, camera, ms: performance.now() - t0, ...(features ? { features } : {}) };
  post({ type: 'result', id: m.id, result }, features ? [embedding.buffer, features.data.buffer] : [embedding.buffer]);
}

async function trackStart(m: Extract<ToEncoder, { type: 'track-start' }>): Promise<void> {
  const t0 = performance.now();
  if (!manifest?.outputs.features) throw new Error(`${manifest?.name ?? 'this model'} has no feature map: re-track needs one`);
  const { map } = await infer(m.picture, m.videoWidth, m.videoHeight, true);
  trackVideo = { width: m.videoWidth, height: m.videoHeight };
  tracker = new Tracker(m.box, map!, { videoWidth: m.videoWidth, videoHeight: m.videoHeight, ...(m.minConfidence !== undefined ? { minConfidence: m.minConfidence } : {}) });
  post({ type: 'tracked', id: m.id, index: m.index, box: m.box, confidence: 1, ms: performance.now() - t0 });
}

async function trackStep(m: Extract<ToEncoder, { type: 'track-step' }>): Promise<void> {
  const t0 = performance.now();
  if (!tracker) throw new Error('no re-track is running');
  const { map } = await infer(m.picture, trackVideo.width, trackVideo.height, true);
  const r = tracker.step(map!);
  post({ type: 'tracked', id: m.id, index: m.index, box: r.box, confidence: r.confidence, ...(r.lost ? { lost: r.lost } : {}), ms: performance.now() - t0 });
}

// One message at a time, in order: ORT sessions are not re-entrant, and order is what the client expects.
let chain: Promise<void> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<ToEncoder>) => {
  const m = ev.data;
  chain = chain.then(async () => {
    try {
      if (m.type === 'load') await load(m);
      else if (m.type === 'run') await run(m);
      else if (m.type === 'track-start') await trackStart(m);
      else if (m.type === 'track-step') await trackStep(m);
      else if (m.type === 'dispose') {
        await session?.release().catch(() => undefined);
        session = null;
        scope.close();
      }
    } catch (e) {
      if ('picture' in m && 'frame' in m.picture) m.picture.frame.close();
      if (m.type !== 'dispose') post({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) });
    }
  });
};
