/**
 * Fuzz the entry every proposals file goes through (parseInterchange: the format is sniffed, then
 * one reader runs). A mutation may turn one format into another (a CVAT file that no longer starts
 * with `<`, JSON that gains a "categories" key): whichever reader it lands on must answer with a
 * FormatError or a valid import. FUZZ_SEED / FUZZ_SCALE as in readers.fuzz.test.ts.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyframesFromList, keyList } from '../../model/keyframes';
import type { Track } from '../../model/types';
import { FormatError } from '../errors';
import { parseInterchange, sniffFormat, writeInterchange } from '../interchange';
import { parseProposalsText } from '../proposals';
import { assertAnnotationInvariants } from './invariants';
import { mutations, type MutationKind } from './mutate';

const RUN_SEED = Number(process.env.FUZZ_SEED ?? 20240607);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const here = import.meta.dirname;
const read = (...p: string[]) => readFileSync(path.join(here, ...p), 'utf8');
const hints = { width: 640, height: 360, fps: 30, frameCount: 300 };

// A small annotation written out in every format gives one valid seed per format.
const demo = parseProposalsText(read('..', '..', '..', 'public', 'demo', 'motion.proposals.json'), 'motion.proposals.json')[0]!;
// Two tracks, with their keyframes thinned to every 10th: a seed of a few kB, so the time goes to the readers.
const small = { ...demo, tracks: demo.tracks.slice(0, 2).map((t) => ({ ...t, keys: keyframesFromList(keyList(t.keys).filter((_, i) => i % 10 === 0)) })) };
const keysOf = (t: Track) => t.keys;
const seeds: Array<[string, string, MutationKind]> = [
  ...(['mot', 'cvat', 'labelstudio', 'youtubevis'] as const).map((f): [string, string, MutationKind] => {
    const file = writeInterchange(f, small, keysOf)[0]!;
    return [file.name, file.text, f === 'mot' ? 'csv' : f === 'cvat' ? 'text' : 'json'];
  }),
  ['ann.json', read('..', 'testdata', 'third-party', 'youtube-vis', 'ann.json'), 'text'],
  ['annotations.xml', read('..', 'testdata', 'third-party', 'cvat', 'for_video_annotations.develop.xml'), 'text'],
];

describe('parseInterchange under fuzzing', () => {
  it('tells formats apart in linear time, even on a long run of spaces', () => {
    expect(sniffFormat(`1${' '.repeat(200_000)}x`, 'gt')).toBe('imove');
    expect(sniffFormat(`1,${' '.repeat(200)}2,3`, 'gt')).toBe('mot');
    expect(sniffFormat(`1,${' '.repeat(200_000)}2,3`, 'gt')).toBe('imove');
  });
  for (const [name, text, kind] of seeds) {
    it(`${name}: ${kind} mutations give a FormatError or a valid import`, () => {
      let imported = 0;
      for (const m of mutations(RUN_SEED, text, kind, Math.round(400 * SCALE))) {
        try {
          const r = parseInterchange(m.text, name, hints);
          for (const a of r.annotations) assertAnnotationInvariants(a);
          imported++;
        } catch (e) {
          if (!(e instanceof FormatError) || !e.message.includes(name)) {
            throw new Error(`seed ${m.seed} (${m.ops.join(', ')}): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n${m.text.slice(0, 300)}`, { cause: e });
          }
        }
      }
      // Not every mutation may be fatal, or the seed input would be the only thing tested.
      expect(imported).toBeGreaterThan(0);
    }, 120_000);
  }
});
