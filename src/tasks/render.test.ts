import { describe, expect, it } from 'vitest';
import { relIndex, renderBox, renderInstant, renderSpan, withoutTrailing } from './render';

describe('renderings', () => {
  it('renders a span in seconds, relative indices and frames', () => {
    expect(renderSpan(12.34, 18, 60, [370, 540], 'sec_1dp')).toBe('12.3 - 18.0 seconds');
    expect(renderSpan(1, 4, 10, [30, 120], 'rel_00_99')).toBe('from 10 to 40');
    expect(renderSpan(0, 10, 10, [0, 299], 'rel_00_99')).toBe('from 00 to 99');
    expect(renderSpan(1, 4, 10, [30, 120], 'frame')).toBe('frame 30 to frame 120');
  });
  it('computes the relative index as VTimeLLM\'s loader does: min(round(t / d × 100), 99)', () => {
    // 7.5 s of 10 s: ×100 gives 75 (the loader's value); ×99 would give 74.
    expect(relIndex(7.5, 10)).toBe('75');
    expect(relIndex(9.96, 10)).toBe('99');
    expect(relIndex(0.04, 10)).toBe('00');
    expect(renderInstant(2.5, 10, 75, 'rel_00_99')).toBe('25');
    // Python's round(): ties go to the even neighbour. Frame 13 of 200 at 24 fps: 13/24 / (200/24) × 100 = 6.5 → 6.
    expect(relIndex(13 / 24, 200 / 24)).toBe('06');
    expect(relIndex(15 / 24, 200 / 24)).toBe('08'); // 7.5 → 8
    expect(relIndex(0.125, 1)).toBe('12'); // 12.5 → 12
  });
  it('renders boxes as Elysium, Shikra and CogVLM do, clamped to the frame', () => {
    const b = [0.3222, 0.4171, 0.4609, 0.7111];
    expect(renderBox(b, 'int100')).toBe('[32,42,46,71]');
    expect(renderBox(b, 'norm_3f')).toBe('[0.322,0.417,0.461,0.711]');
    expect(renderBox(b, 'int1000')).toBe('[322,417,461,711]');
    expect(renderBox([-0.1, 0, 1.2, 1], 'int100')).toBe('[0,0,100,100]');
  });
  it('trims trailing punctuation in linear time (a regex was quadratic on a long run not at the end)', () => {
    expect(withoutTrailing('The dog runs.!?', '.!?')).toBe('The dog runs');
    expect(withoutTrailing('...', '.')).toBe('');
    expect(withoutTrailing('a..b', '.')).toBe('a..b');
  });
});
