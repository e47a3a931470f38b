// EncoderClient: the main-thread façade of encoder.worker.ts. Framework-free.
import type { ModelManifest } from './manifest';
import type { Provider, ProviderChoice } from './provider';
import type { FromEncoder, Picture, RunResult, ToEncoder } from './protocol';
import type { Box } from '../model/types';

export interface Loaded {
  provider: Provider;
  reason: string;
  threads: number;
  ms: number;
}

type Pending = { resolve: (m: FromEncoder) => void; reject: (e: Error) => void };

function transferOf(p: Picture): Transferable[] {
  return 'frame' in p ? [p.frame] : [p.rgba.buffer];
}

export class EncoderClient {
  private readonly worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private dead: Error | null = null;

  constructor(createWorker: () => Worker = () => new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module' })) {
    this.worker = createWorker();
    this.worker.onmessage = (ev: MessageEvent<FromEncoder>) => {
      const m = ev.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new Error(m.message));
      else p.resolve(m);
    };
    this.worker.onerror = (ev) => this.fail(new Error(`the encoder worker failed: ${ev.message || 'out of memory?'}`));
  }

  private fail(e: Error): void {
    this.dead = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call(msg: ToEncoder & { id: number }, transfer: Transferable[] = []): Promise<FromEncoder> {
    if (this.dead) {
      if ('picture' in msg && 'frame' in msg.picture) msg.picture.frame.close();
      return Promise.reject(this.dead);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(msg.id, { resolve, reject });
      this.worker.postMessage(msg, transfer);
    });
  }

  async load(manifest: ModelManifest, bytes: ArrayBuffer, choice: ProviderChoice, wasmBase: string): Promise<Loaded> {
    const r = await this.call({ type: 'load', id: this.nextId++, manifest, bytes, choice, wasmBase }, [bytes]);
    if (r.type !== 'loaded') throw new Error(`unexpected reply ${r.type}`);
    return { provider: r.provider, reason: r.reason, threads: r.threads, ms: r.ms };
  }

  /** Encode one picture. A VideoFrame is transferred: the caller must not use or close it after. */
  async run(index: number, picture: Picture, video: { width: number; height: number }, opts: { features?: boolean; sequence?: string } = {}): Promise<RunResult> {
    const r = await this.call(
      { type: 'run', id: this.nextId++, index, picture, videoWidth: video.width, videoHeight: video.height, ...opts },
      transferOf(picture),
    );
    if (r.type !== 'result') throw new Error(`unexpected reply ${r.type}`);
    return r.result;
  }

  async trackStart(index: number, box: Box, picture: Picture, video: { width: number; height: number }, minConfidence?: number): Promise<void> {
    const msg: ToEncoder & { id: number } = { type: 'track-start', id: this.nextId++, index, box, picture, videoWidth: video.width, videoHeight: video.height, ...(minConfidence !== undefined ? { minConfidence } : {}) };
    await this.call(msg, transferOf(picture));
  }

  async trackStep(index: number, picture: Picture): Promise<{ box: Box | null; confidence: number; lost: 'confidence' | 'left-view' | null; ms: number }> {
    const r = await this.call({ type: 'track-step', id: this.nextId++, index, picture }, transferOf(picture));
    if (r.type !== 'tracked') throw new Error(`unexpected reply ${r.type}`);
    return { box: r.box, confidence: r.confidence, lost: r.lost ?? null, ms: r.ms };
  }

  dispose(): void {
    this.fail(new DOMException('encoder disposed', 'AbortError') as unknown as Error);
    this.worker.postMessage({ type: 'dispose' } satisfies ToEncoder);
    setTimeout(() => this.worker.terminate(), 1000);
  }
}
