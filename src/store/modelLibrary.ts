import { createStore as createIdbStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { ModelManifest } from '../encoder/manifest';
import { FormatError } from '../formats/errors';
import { parseModelManifestText } from '../formats/modelManifest';

/**
 * Encoder models: the ones built into `public/models` at install time, and the ones a user
 * brought (an .onnx with its manifest), kept in IndexedDB so they survive reloads and go offline.
 */
export interface ModelEntry {
  manifest: ModelManifest;
  origin: 'shipped' | 'user';
}

const base = () => new URL(`${import.meta.env.BASE_URL}`, location.href).href;
export const SHIPPED_MODELS = ['ppocr-v4-backbone', 'tiny-filters'] as const;
export const DEFAULT_MODEL = 'ppocr-v4-backbone';

let db: UseStore | undefined;
const store = () => (db ??= createIdbStore('imove-models', 'models'));

async function fetchText(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} (run \`npm run models\` to build the shipped models)`);
  return r.text();
}

export async function listModels(): Promise<ModelEntry[]> {
  const shipped = await Promise.all(
    SHIPPED_MODELS.map(async (id): Promise<ModelEntry | null> => {
      const url = `${base()}models/${id}.json`;
      try {
        return { manifest: parseModelManifestText(await fetchText(url), url), origin: 'shipped' };
      } catch (e) {
        console.warn(`model ${id} is unavailable:`, e);
        return null;
      }
    }),
  );
  const stored = await entries<string, { manifest: ModelManifest }>(store()).catch(() => []);
  const user = stored.map(([, v]): ModelEntry => ({ manifest: v.manifest, origin: 'user' }));
  return [...shipped.filter((m): m is ModelEntry => m !== null), ...user];
}

export async function modelBytes(entry: ModelEntry): Promise<ArrayBuffer> {
  if (entry.origin === 'user') {
    const all = await entries<string, { manifest: ModelManifest; bytes: ArrayBuffer }>(store());
    const hit = all.find(([k]) => k === entry.manifest.id);
    if (!hit) throw new Error(`the model "${entry.manifest.id}" is no longer in this browser`);
    return hit[1].bytes.slice(0);
  }
  const url = `${base()}models/${entry.manifest.file}`;
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

/** Add a user's model from the files they chose: one .onnx and one .json manifest. */
export async function addUserModel(files: File[]): Promise<ModelManifest> {
  const json = files.find((f) => /\.json$/i.test(f.name));
  const onnx = files.find((f) => /\.onnx$/i.test(f.name));
  if (!json || !onnx) throw new Error(`Choose an .onnx file and its .json manifest together (got ${files.map((f) => f.name).join(', ') || 'nothing'}).`);
  const manifest = parseModelManifestText(await json.text(), json.name);
  if (SHIPPED_MODELS.includes(manifest.id as (typeof SHIPPED_MODELS)[number])) {
    throw new FormatError({ file: json.name, path: '$.id', detail: `"${manifest.id}" is a built-in model's id; choose another` });
  }
  const bytes = await onnx.arrayBuffer();
  // Protobuf ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
  if (new Uint8Array(bytes.slice(0, 1))[0] !== 0x08) throw new Error(`${onnx.name} is not an ONNX model file`);
  await set(manifest.id, { manifest: { ...manifest, file: onnx.name }, bytes }, store());
  return manifest;
}

export async function removeUserModel(id: string): Promise<void> {
  await del(id, store());
}

export function wasmBase(): string {
  return `${base()}ort/`;
}
