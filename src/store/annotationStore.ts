import type { Annotation, Track } from '../model/types';
import { load, loadMany, writeNow } from './persistence';

/**
 * An annotation is stored as an index (video, tags, spans, track ids) plus one record per track,
 * so an edit writes only the tracks it changed (a few KB), in one transaction, at once.
 */
type StoredIndex = Omit<Annotation, 'tracks'> & { version: 2; trackIds: string[] };

const indexKey = (videoId: string) => `annotation:${videoId}`;
// An array key: ids may contain any character, so no separator can be ambiguous.
const trackKey = (videoId: string, trackId: string): IDBValidKey => ['track', videoId, trackId];

function indexOf(a: Annotation): StoredIndex {
  // Everything but the tracks (video, tags, spans, dismissals, flags to come) lives in the index.
  const { tracks, ...rest } = a;
  return { ...rest, version: 2, trackIds: tracks.map((t) => t.id) };
}

/** Write `next`, given what is already stored (`prev`, or null to write everything). */
export async function storeAnnotation(next: Annotation, prev: Annotation | null): Promise<void> {
  const id = next.video.id;
  const before = new Map((prev?.tracks ?? []).map((t) => [t.id, t]));
  const puts: Array<[IDBValidKey, unknown]> = [];
  for (const t of next.tracks) if (before.get(t.id) !== t) puts.push([trackKey(id, t.id), t]);
  const kept = new Set(next.tracks.map((t) => t.id));
  const deletes = [...before.keys()].filter((tid) => !kept.has(tid)).map((tid) => trackKey(id, tid));
  puts.push([indexKey(id), indexOf(next)]);
  await writeNow(puts, deletes, `the annotation of "${id}"`);
}

/** The stored annotation of a video, or undefined. Reads the whole-object form of earlier versions too. */
export async function loadAnnotation(videoId: string): Promise<Annotation | undefined> {
  const stored = await load<StoredIndex | Annotation>(indexKey(videoId));
  if (!stored) return undefined;
  if (!('version' in stored)) return stored;
  const tracks = await loadMany<Track>(stored.trackIds.map((t) => trackKey(videoId, t)));
  const missing = stored.trackIds.filter((_, i) => !tracks[i]);
  if (missing.length) throw new Error(`The saved annotation of "${videoId}" is missing instances ${missing.join(', ')}; its storage is damaged.`);
  const { version: _v, trackIds: _ids, ...rest } = stored;
  return { ...rest, tracks: tracks as Track[] };
}
