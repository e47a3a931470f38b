import { createStore as createIdbStore, del, get, set, type UseStore } from 'idb-keyval';
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

export async function flush(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = [...pending];
  pending.clear();
  for (const [key, value] of batch) {
    try {
      await set(key, value, store());
    } catch (e) {
      const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      studio.setState({ storageError: `Could not save "${key}" to this browser's storage (${msg}).` });
      throw e;
    }
  }
}

export async function load<T>(key: string): Promise<T | undefined> {
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
