import { createStore as createIdbStore, getMany, promisifyRequest, type UseStore } from 'idb-keyval';

/**
 * Embeddings (and the camera shift from the previous frame) cached per (video, model, frame) in
 * IndexedDB, apart from the annotations: a cache can be dropped without losing anyone's work.
 */
export interface CachedFrame {
  embedding: Float32Array;
  /** dx, dy (video px) from the previous frame, or null where not measured. */
  camera: [number, number] | null;
}

let db: UseStore | undefined;
const store = () => (db ??= createIdbStore('imove-embeddings', 'frames'));
const key = (video: string, model: string, frame: number): IDBValidKey => [video, model, frame];

export async function loadCached(video: string, model: string, frameCount: number): Promise<Array<CachedFrame | undefined>> {
  try {
    return await getMany<CachedFrame>(
      Array.from({ length: frameCount }, (_, f) => key(video, model, f)),
      store(),
    );
  } catch {
    return new Array<CachedFrame | undefined>(frameCount);
  }
}

export async function saveCached(video: string, model: string, items: ReadonlyArray<readonly [number, CachedFrame]>): Promise<void> {
  if (!items.length) return;
  await store()('readwrite', (os) => {
    for (const [f, v] of items) os.put(v, key(video, model, f));
    return promisifyRequest(os.transaction);
  });
}

export async function clearCached(video: string, model: string): Promise<void> {
  await store()('readwrite', (os) => {
    os.delete(IDBKeyRange.bound([video, model, -Infinity], [video, model, Infinity]));
    return promisifyRequest(os.transaction);
  });
}
