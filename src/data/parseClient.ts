// Main-thread side of parse.worker.ts: one worker per request, terminated when done or aborted.

import { deserializeError } from '../formats/errors';
import type { Manifest } from '../formats/manifest';
import type { InterchangeImport, VideoHints } from '../formats/interchange';
import type { ParseKind, ParseMessage, ParseRequest } from './parse.worker';

export type { Manifest, ManifestVideo } from '../formats/manifest';
export type { ParseKind } from './parse.worker';

export type ParseInput = { url: string } | { file: Blob; name?: string };
export type ParseProgress = (loaded: number, total: number) => void;

function abortError(): DOMException {
  return new DOMException('Parsing was cancelled', 'AbortError');
}

function absolute(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return url;
  }
}

/**
 * Fetch (or read) and parse a proposals file or a dataset manifest in a worker.
 * `total` in progress is 0 when unknown. Rejects with a FormatError for bad content, an Error for
 * network trouble, and a DOMException 'AbortError' when `signal` aborts (the worker is terminated).
 */
export function parseInWorker(input: ParseInput, kind: 'proposals', onProgress?: ParseProgress, signal?: AbortSignal, hints?: VideoHints): Promise<InterchangeImport>;
export function parseInWorker(input: ParseInput, kind: 'manifest', onProgress?: ParseProgress, signal?: AbortSignal): Promise<Manifest>;
export function parseInWorker(input: ParseInput, kind: ParseKind, onProgress?: ParseProgress, signal?: AbortSignal, hints?: VideoHints): Promise<InterchangeImport | Manifest>;
export function parseInWorker(input: ParseInput, kind: ParseKind, onProgress?: ParseProgress, signal?: AbortSignal, hints?: VideoHints): Promise<InterchangeImport | Manifest> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
    const done = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (ev: MessageEvent<ParseMessage>) => {
      const msg = ev.data;
      if (msg.type === 'progress') {
        onProgress?.(msg.loaded, msg.total);
        return;
      }
      done();
      if (msg.type === 'error') reject(deserializeError(msg.error));
      else resolve(msg.kind === 'manifest' ? msg.manifest : { annotations: msg.annotations, format: msg.format, notes: msg.notes });
    };
    worker.onerror = (ev: ErrorEvent) => {
      done();
      reject(new Error(`The parsing worker failed: ${ev.message || 'could not start'}`));
    };
    const req: ParseRequest = { kind, input: 'url' in input ? { url: absolute(input.url) } : input, ...(hints ? { hints } : {}) };
    worker.postMessage(req);
  });
}
