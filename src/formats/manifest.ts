/**
 * Dataset manifest, `imove-manifest/1`: the list of videos and their proposal files, with URLs
 * relative to the manifest (resolved here to absolute ones).
 *
 *   {"format": "imove-manifest/1", "name": "…", "videos": [{"id", "title"?, "src", "proposals"?, "status"?}]}
 *
 * Entries are checked with a plain loop, not a zod schema per entry: 100,000 entries must load in
 * well under a second. zod checks the envelope.
 */

import { z } from 'zod';
import type { VideoStatus } from '../model/types';
import { ErrorSink, FormatError, fileLabel, type PathSeg } from './errors';
import { checkFormatTag, describeValue, errorMap, readRecords, reportIssues } from './jsonInput';

export const MANIFEST_FORMAT = 'imove-manifest/1';

export interface ManifestVideo {
  id: string;
  title?: string;
  /** Absolute URL (when the manifest's own URL is known). */
  src: string;
  /** Absolute URL of its proposals, if any. */
  proposals?: string;
  status?: VideoStatus;
}

export interface Manifest {
  name?: string;
  videos: ManifestVideo[];
}

const STATUSES: readonly VideoStatus[] = ['todo', 'in_progress', 'submitted', 'approved', 'returned'];

const PLAIN_RELATIVE = /^[A-Za-z0-9_~-][A-Za-z0-9_.~/-]*$/;
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

const Envelope = z.object({
  format: z.literal(MANIFEST_FORMAT),
  name: z.string().nullish(),
  videos: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array of videos'),
});

/**
 * Parse a manifest. `file` names it in messages; `baseUrl` (the manifest's absolute URL) resolves
 * `src` and `proposals`.
 * @throws FormatError (a FormatErrors if there are several problems)
 */
export function parseManifestText(text: string, file: string, baseUrl?: string): Manifest {
  const label = fileLabel(file);
  const sink = new ErrorSink(label);
  const records = readRecords(text, file, sink, 'json');
  if (records.length === 0 && sink.count === 0) throw new FormatError({ file: label, path: '$', detail: 'the manifest is empty' });
  const fail = (): never => {
    throw sink.toError() ?? new FormatError({ file: label, path: '$', detail: 'not a manifest' });
  };
  const rec = records[0];
  if (!rec) return fail();
  if (rec.prefix.length) {
    sink.add([], `expected a manifest object {"format": "${MANIFEST_FORMAT}", …}, got an array`, rec.source);
    return fail();
  }
  if (!checkFormatTag(sink, rec, MANIFEST_FORMAT, 'a dataset manifest')) return fail();
  const env = Envelope.safeParse(rec.value, { error: errorMap });
  if (!env.success) {
    reportIssues(sink, rec, env.error);
    return fail();
  }

  let base: URL | undefined;
  try {
    if (baseUrl) base = new URL(baseUrl);
  } catch {
    base = undefined;
  }
  // Fast path for the common plain relative path ("videos/v1.mp4"): new URL() per entry is most of
  // the cost at 100,000 entries. Only characters that resolve to themselves, and no dot segments.
  const baseDir = base ? new URL('.', base).href : '';
  const resolve = (ref: string, path: PathSeg[]): string => {
    if (!base) return ref;
    if (PLAIN_RELATIVE.test(ref) && !DOT_SEGMENT.test(ref)) return baseDir + ref;
    try {
      return new URL(ref, base).href;
    } catch {
      sink.add(path, `not a usable URL: ${describeValue(ref)}`, rec.source);
      return ref;
    }
  };
  const str = (o: Record<string, unknown>, key: string, i: number, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) sink.add(['videos', i, key], v === null ? 'expected a string, got null' : 'missing (expected a string)', rec.source);
      return undefined;
    }
    if (typeof v !== 'string' || (required && v.length === 0)) {
      sink.add(['videos', i, key], typeof v === 'string' ? 'must not be empty' : `expected a string, got ${describeValue(v)}`, rec.source);
      return undefined;
    }
    return v;
  };

  const list = env.data.videos;
  const videos: ManifestVideo[] = new Array<ManifestVideo>(list.length);
  const ids = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const o = list[i];
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      sink.add(['videos', i], `expected an object {id, src, …}, got ${describeValue(o)}`, rec.source);
      continue;
    }
    const e = o as Record<string, unknown>;
    let id: string | undefined;
    const rawId = e.id;
    if (typeof rawId === 'string' && rawId.length > 0) id = rawId;
    else if (Number.isSafeInteger(rawId)) id = String(rawId);
    else sink.add(['videos', i, 'id'], rawId === undefined ? 'missing (expected a non-empty string id)' : `expected a non-empty string (or integer) id, got ${describeValue(rawId)}`, rec.source);
    if (id !== undefined) {
      const seen = ids.get(id);
      if (seen !== undefined) sink.add(['videos', i, 'id'], `duplicate video id "${id}" (also at $.videos[${seen}].id)`, rec.source);
      else ids.set(id, i);
    }
    const src = str(e, 'src', i, true);
    const title = str(e, 'title', i, false);
    const proposals = str(e, 'proposals', i, false);
    const status = e.status;
    if (status != null && !STATUSES.includes(status as VideoStatus)) {
      sink.add(['videos', i, 'status'], `expected one of ${STATUSES.map((s) => `"${s}"`).join(', ')}, got ${describeValue(status)}`, rec.source);
    }
    if (sink.count > 0 || id === undefined || src === undefined) continue;
    const v: ManifestVideo = { id, src: resolve(src, ['videos', i, 'src']) };
    if (title !== undefined) v.title = title;
    if (proposals !== undefined && proposals !== '') v.proposals = resolve(proposals, ['videos', i, 'proposals']);
    if (status != null) v.status = status as VideoStatus;
    videos[i] = v;
  }
  sink.throwIfAny();
  const out: Manifest = { videos };
  if (env.data.name != null) out.name = env.data.name;
  return out;
}
