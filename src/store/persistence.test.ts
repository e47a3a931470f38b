import { describe, expect, it, vi } from 'vitest';

// IndexedDB stand-in whose writes take longer for some keys, as a real disk may.
const disk = new Map<string, unknown>();
vi.mock('idb-keyval', () => ({
  createStore: () => (_mode: string, work: (os: unknown) => unknown) =>
    work({ put: (value: unknown, key: string) => disk.set(key, value), delete: (key: string) => disk.delete(key), transaction: {} }),
  set: (key: string, value: unknown) => new Promise<void>((done) => setTimeout(() => (disk.set(key, value), done()), key === 'slow' ? 30 : 1)),
  get: async (key: string) => disk.get(key),
  getMany: async (keys: string[]) => keys.map((k) => disk.get(k)),
  del: async (key: string) => void disk.delete(key),
  promisifyRequest: async () => undefined,
}));

const { flush, load, saveSoon, writeNow } = await import('./persistence');

describe('persistence', () => {
  it('writes in order: a flush never lands an older value over a newer one', async () => {
    saveSoon('slow', 'anything');
    saveSoon('statuses', 'in_progress');
    const first = flush(); // busy with 'slow' for a while
    saveSoon('statuses', 'submitted');
    const second = flush();
    await Promise.all([first, second]);
    expect(disk.get('statuses')).toBe('submitted');
  });

  it('a read waits for the writes queued before it', async () => {
    disk.set('annotation', 'old');
    saveSoon('slow', 'anything');
    void flush(); // busy with 'slow'
    void writeNow([['annotation', 'edited']]);
    expect(await load('annotation')).toBe('edited');
  });
});
