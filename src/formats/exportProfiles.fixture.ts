import { keyframesFromDense } from '../model/keyframes';
import type { Annotation, Box, Track } from '../model/types';
import { generateQa, type QaOptions } from '../tasks/generate';
import type { ExportInput, ReviewState } from './exportImove';

/**
 * A hand-made video for the profile tests: 10 s at 10 fps, 200×100 px, so every normalised box is a
 * round number. The dog moves right one pixel a frame, the cat left; each has one captioned span.
 *   dog (track 3), span 0, frames 10–29 → 1.0–3.0 s; box at f = [20 + f, 10, 60 + f, 50]
 *   cat (track 5), span 1, frames 50–79 → 5.0–8.0 s; box at f = [150 - f, 60, 180 - f, 90]
 */
export const FPS = 10;
export const FRAMES = 100;
export const timestamps = Array.from({ length: FRAMES }, (_, f) => f / FPS);
export const keysOf = (t: Track) => t.keys;

const dog = (f: number): Box => [20 + f, 10, 60 + f, 50];
const cat = (f: number): Box => [150 - f, 60, 180 - f, 90];

export function annotation(id = 'v001', captions: [string, string] = ['The brown dog runs right.', 'The grey cat walks left.']): Annotation {
  return {
    video: { id, src: `videos/${id}.mp4`, width: 200, height: 100, fps: FPS, frameCount: FRAMES },
    tags: [],
    tracks: [
      { id: '3', category: 'dog', provenance: 'model', keys: keyframesFromDense(0, Array.from({ length: FRAMES }, (_, f) => dog(f))) },
      { id: '5', category: 'cat', provenance: 'model', keys: keyframesFromDense(0, Array.from({ length: FRAMES }, (_, f) => cat(f))) },
    ],
    spans: [
      { id: '0', trackId: '3', start: 10, end: 29, caption: captions[0], captionSource: 'model', modelCaption: captions[0], captioner: 'InternVL2-40B' },
      { id: '1', trackId: '5', start: 50, end: 79, caption: captions[1], captionSource: 'human', modelCaption: 'The cat walks.' },
    ],
  };
}

/** Every pair approved on its current fingerprint, as a reviewer would leave them. */
export function approveAll(a: Annotation, opts: QaOptions): Record<string, ReviewState> {
  return Object.fromEntries(generateQa(a, keysOf, { timestamps, duration: 10 }, opts).map((q) => [q.id, { status: 'approved' as const, fingerprint: q.fingerprint }]));
}

export function input(a: Annotation, opts: QaOptions, reviews = approveAll(a, opts)): ExportInput {
  return { annotation: a, keysOf, timestamps, duration: 10, reviews };
}
