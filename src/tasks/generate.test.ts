import { describe, expect, it } from 'vitest';
import { keyframesFromDense } from '../model/keyframes';
import { setCaption } from '../model/spanEdits';
import type { Annotation, Box, Track } from '../model/types';
import { generateQa, sampleFrames } from './generate';

const fps = 30;
const n = 300;
const timing = { timestamps: Array.from({ length: n }, (_, f) => f / fps), duration: n / fps };
const dog = (f: number): Box => [100 + 2 * f, 200, 228 + 2 * f, 296];

function ann(): Annotation {
  return {
    video: { id: 'v001', src: 'v001.mp4', width: 1280, height: 720, fps, frameCount: n },
    tags: [],
    tracks: [{ id: '3', category: 'dog', provenance: 'model', keys: keyframesFromDense(0, Array.from({ length: n }, (_, f) => dog(f))) }],
    spans: [
      { id: 's0', trackId: '3', start: 30, end: 119, caption: 'The brown dog runs to the right.', captionSource: 'human', modelCaption: 'x' },
      { id: 's1', trackId: '3', start: 150, end: 200, caption: '  ', captionSource: 'model', modelCaption: '' },
    ],
  };
}
const keysOf = (t: Track) => t.keys;

describe('QA generation', () => {
  it('makes the three tasks per captioned span, with hand-checked answers', () => {
    const qa = generateQa(ann(), keysOf, timing, { time: 'sec_1dp', box: 'int100', frames: 4 });
    expect(qa.map((q) => q.id)).toEqual(['v001_i3_ss0_sg', 'v001_i3_ss0_tg', 'v001_i3_ss0_dc']);
    const [sg, tg, dc] = qa;
    // Span 30..119 inclusive ends where frame 120 begins: 1.0 - 4.0 seconds.
    expect(tg!.answer).toBe('1.0 - 4.0 seconds');
    expect(dc!.answer).toBe('The brown dog runs to the right.');
    // Frames 30, 60, 89, 119: frame 30's box [160,200,288,296] of 1280×720 → [13,28,23,41].
    expect(sg!.answer.split('; ')).toHaveLength(4);
    expect(sg!.answer.startsWith('1.0s: [13,28,23,41]; 2.0s: [17,28,27,41]')).toBe(true);
    for (const q of qa) expect(q.question.startsWith('<video>\n')).toBe(true);
    expect(sg!.question).toContain('The brown dog runs to the right.');
    expect(dc!.question).not.toContain('runs to the right');
  });

  it('copes with a hostile caption (a hang guard: 300,000 dots then a letter took ~30 s with /[.!?]*$/)', () => {
    const a = ann();
    a.spans[0]!.caption = `${'.'.repeat(300_000)}x`;
    expect(generateQa(a, keysOf, timing)).toHaveLength(3);
  }, 5000);

  it('is deterministic, and follows the chosen rendering', () => {
    const a = generateQa(ann(), keysOf, timing);
    expect(generateQa(ann(), keysOf, timing)).toEqual(a);
    const rel = generateQa(ann(), keysOf, timing, { time: 'rel_00_99', box: 'int1000', frames: 2 });
    expect(rel[1]!.answer).toBe('from 10 to 40');
    // Frame 119 starts at 3.967 s of 10 s: min(round(39.67), 99) = 40.
    expect(rel[0]!.answer).toBe('10: [125,278,225,411]; 40: [264,278,364,411]');
  });

  it('reads as a sentence in every time rendering (one preposition, no doubled full stop)', () => {
    for (const time of ['sec_1dp', 'rel_00_99', 'frame'] as const) {
      for (const q of generateQa(ann(), keysOf, timing, { time, box: 'int100', frames: 2 })) {
        expect(q.question, `${time} ${q.task}`).not.toMatch(/\b(during|over|Over|During) (from|frame)\b|\bfrom from\b/);
        expect(q.question, `${time} ${q.task}`).not.toMatch(/\."\./);
      }
    }
  });

  it('changes the fingerprint when the caption, the span or the boxes change, and only then', () => {
    const a = ann();
    const fp = generateQa(a, keysOf, timing)[0]!.fingerprint;
    expect(generateQa(setCaption(a, 's1', 'It sits.'), keysOf, timing)[0]!.fingerprint).toBe(fp);
    expect(generateQa(setCaption(a, 's0', 'The dog runs right.'), keysOf, timing)[0]!.fingerprint).not.toBe(fp);
    const moved = { ...a, spans: a.spans.map((s) => (s.id === 's0' ? { ...s, start: 31 } : s)) };
    expect(generateQa(moved, keysOf, timing)[0]!.fingerprint).not.toBe(fp);
    const t = a.tracks[0]!;
    const shifted = { ...a, tracks: [{ ...t, keys: keyframesFromDense(0, Array.from({ length: n }, (_, f) => (f === 70 ? ([0, 0, 50, 50] as Box) : dog(f)))) }] };
    expect(generateQa(shifted, keysOf, timing)[0]!.fingerprint).not.toBe(fp);
  });

  it('samples only frames where the instance is shown', () => {
    const keys = keyframesFromDense(10, [dog(10), null, null, dog(13)]);
    expect(sampleFrames(keys, 0, 20, 8).map((s) => s.frame)).toEqual([10, 13]);
  });
});
