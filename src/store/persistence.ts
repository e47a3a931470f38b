import { createStore as createIdbStore, del, get, getMany, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { studio } from './studioStore';

/**
 * Local-first persistence: everything is written to IndexedDB within a second of changing, and
 * flushed at once when the page is hidden. A failed write is shown, never swallowed.
 */
let db: UseStore | undefined;
function store(): UseStore {
  db ??= createIdbStore('imove-studio', 'kv');
  return db;
}

const pending = new Map<string, unknown>();
let timer: ReturnType<typeof setTimeout> | null = null;
const DELAY_MS = 250;

export function saveSoon(key: string, value: unknown): void {
  pending.set(key, value);
  timer ??= setTimeout(() => void flush(), DELAY_MS);
}

/**
 * Writes happen one after another, never side by side: two flushes interleaving their awaits
 * would let the older one write a key's stale value after the newer one wrote the fresh value
 * (a submitted video read back as in progress).
 */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

export function flush(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  // The batch is taken when this write's turn comes, so it holds the newest values.
  return serially(writePending);
}

async function writePending(): Promise<void> {
  const batch = [...pending];
  pending.clear();
  for (let i = 0; i < batch.length; i++) {
    const [key, value] = batch[i]!;
    try {
      await set(key, value, store());
    } catch (e) {
      // Keep what was not written (unless a newer value came meanwhile) so "Retry" can write it.
      for (const [k, v] of batch.slice(i)) if (!pending.has(k)) pending.set(k, v);
      reportFailure(`"${key}"`, e);
      throw e;
    }
  }
}

function reportFailure(what: string, e: unknown): void {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  studio.setState({ storageError: `Could not save ${what} to this browser's storage (${msg}).` });
}

/**
 * Write and delete several keys in one transaction, now (no debounce): edits must be on disk
 * before anyone can close the tab. All or nothing; a failure is shown and rethrown.
 */
export function writeNow(puts: ReadonlyArray<readonly [IDBValidKey, unknown]>, deletes: readonly IDBValidKey[] = [], what = 'your edit'): Promise<void> {
  return serially(() => writeTransaction(puts, deletes, what));
}

async function writeTransaction(puts: ReadonlyArray<readonly [IDBValidKey, unknown]>, deletes: readonly IDBValidKey[], what: string): Promise<void> {
  try {
    await store()('readwrite', (os) => {
      for (const [k, v] of puts) os.put(v, k);
      for (const k of deletes) os.delete(k);
      return promisifyRequest(os.transaction);
    });
    if (studio.getState().storageError) studio.setState({ storageError: null });
  } catch (e) {
    reportFailure(what, e);
    throw e;
  }
}

// Reads wait for the writes queued before them: a video reopened right after an edit must read the edit.
export async function loadMany<T>(keys: IDBValidKey[]): Promise<Array<T | undefined>> {
  await queue;
  return getMany<T>(keys, store());
}

export async function load<T>(key: string): Promise<T | undefined> {
  await queue;
  try {
    return await get<T>(key, store());
  } catch {
    return undefined;
  }
}

export async function remove(key: string): Promise<void> {
  await del(key, store());
}

export function pendingCount(): number {
  return pending.size;
}

if (typeof window !== 'undefined') {
  const flushNow = () => void flush().catch(() => undefined);
  window.addEventListener('pagehide', flushNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushNow();
  });
}
