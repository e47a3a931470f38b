// Parses proposals (in any interchange format) and manifests off the main thread (module worker, one per request).
// Fetches the URL or reads the File with progress, parses with src/formats, and posts back the
// result (keyframe typed arrays transferred, not copied) or a serialisable error.

import type { Annotation } from '../model/types';
import { fileLabel, serializeError, type SerializedError } from '../formats/errors';
import { parseManifestText, type Manifest } from '../formats/manifest';
import { parseInterchange, type InterchangeFormat, type VideoHints } from '../formats/interchange';

export type ParseKind = 'proposals' | 'manifest';

export interface ParseRequest {
  kind: ParseKind;
  /** An absolute URL (resolve it on the page: a worker resolves against its own script URL). */
  input: { url: string } | { file: Blob; name?: string };
  /** Proposals in formats that lack the video's size, rate or length take them from here. */
  hints?: VideoHints;
}

export type ParseMessage =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'result'; kind: 'proposals'; annotations: Annotation[]; format: InterchangeFormat; notes: string[] }
  | { type: 'result'; kind: 'manifest'; manifest: Manifest }
  | { type: 'error'; error: SerializedError };

export type Post = (msg: ParseMessage, transfer?: Transferable[]) => void;

const PROGRESS_EVERY_MS = 50;

async function readStream(stream: ReadableStream<Uint8Array>, total: number, post: Post): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let loaded = 0;
  let last = 0;
  post({ type: 'progress', loaded: 0, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    const now = Date.now();
    if (now - last >= PROGRESS_EVERY_MS) {
      last = now;
      // A compressed response's Content-Length is smaller than what arrives: then the total is unknown.
      post({ type: 'progress', loaded, total: total >= loaded ? total : 0 });
    }
  }
  parts.push(decoder.decode());
  post({ type: 'progress', loaded, total: loaded });
  return parts.join('');
}

async function readInput(input: ParseRequest['input'], post: Post): Promise<{ text: string; name: string; baseUrl?: string }> {
  if ('url' in input) {
    const name = fileLabel(input.url);
    let res: Response;
    try {
      res = await fetch(input.url);
    } catch (e) {
      throw new Error(`Could not load ${name}: ${e instanceof Error ? e.message : String(e)} (${input.url})`, { cause: e });
    }
    if (!res.ok) throw new Error(`Could not load ${name}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} (${input.url})`);
    const total = Number(res.headers.get('content-length')) || 0;
    const text = res.body ? await readStream(res.body, total, post) : await res.text();
    // The URL after redirects is what relative paths in the file are relative to.
    return { text, name: input.url, baseUrl: res.url || input.url };
  }
  const file = input.file;
  const name = input.name ?? (file as Partial<File>).name ?? 'file';
  const text = await readStream(file.stream() as ReadableStream<Uint8Array>, file.size, post);
  return { text, name };
}

/** Every keyframe buffer once (a buffer listed twice makes postMessage throw). */
export function transferablesOf(annotations: readonly Annotation[]): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const a of annotations) {
    for (const t of a.tracks) {
      for (const arr of [t.keys.frames, t.keys.boxes, t.keys.flags, t.keys.scores]) {
        if (arr.buffer instanceof ArrayBuffer) set.add(arr.buffer);
      }
    }
  }
  return [...set];
}

/** The worker's whole job, exported so it can be tested without a Worker. */
export async function handleParseRequest(req: ParseRequest, post: Post): Promise<void> {
  try {
    const { text, name, baseUrl } = await readInput(req.input, post);
    if (req.kind === 'manifest') {
      post({ type: 'result', kind: 'manifest', manifest: parseManifestText(text, name, baseUrl) });
    } else {
      const { annotations, format, notes } = parseInterchange(text, name, req.hints, baseUrl);
      post({ type: 'result', kind: 'proposals', annotations, format, notes }, transferablesOf(annotations));
    }
  } catch (e) {
    post({ type: 'error', error: serializeError(e) });
  }
}

interface WorkerScope {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ParseRequest>) => void) | null;
}

if ('WorkerGlobalScope' in globalThis) {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (ev) => {
    void handleParseRequest(ev.data, (msg, transfer = []) => scope.postMessage(msg, transfer));
  };
}
