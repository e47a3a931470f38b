import { describe, expect, it } from 'vitest';
import { captionClaims, checkCaption, directionContradictions } from './captionChecks';
import type { MotionSummary } from './motionSummary';

const motion = (over: Partial<MotionSummary>): MotionSummary => ({
  visibleFrames: 60,
  dx: 0,
  dy: 0,
  netBoxes: 0,
  direction: null,
  speedBoxesPerS: 0,
  speed: 'still',
  scaleRatio: 1,
  scale: 'steady',
  shape: 'still',
  text: 'stays still',
  ...over,
});
const right = motion({ dx: 200, netBoxes: 5, direction: 'right', speed: 'fast', shape: 'straight', text: 'moves right, fast' });
const left = motion({ dx: -200, netBoxes: 5, direction: 'left', speed: 'fast', shape: 'straight', text: 'moves left, fast' });

describe('caption claims', () => {
  it('reads direction words', () => {
    expect([...captionClaims('The dog runs to the right.')]).toEqual(['right']);
    expect([...captionClaims('A person walks from the right side to the left.')]).toEqual(['left']);
    expect(captionClaims('The ball rises and comes closer').has('toward')).toBe(true);
  });
  it('treats negation with care', () => {
    expect(captionClaims('The dog does not move left.').has('left')).toBe(false);
    expect(captionClaims('The dog does not move.').has('still')).toBe(true);
    expect(captionClaims("It isn't going right, it goes left").has('right')).toBe(false);
    expect(captionClaims("It isn't going right, it goes left").has('left')).toBe(true);
  });
});

describe('direction contradictions', () => {
  it('flags "left" when the box moves right, and not a true caption', () => {
    expect(directionContradictions('The dog runs to the left.', right)).toHaveLength(1);
    expect(directionContradictions('The dog runs to the right.', right)).toHaveLength(0);
    expect(directionContradictions('The yellow ball bounces to the right across the scene.', left)[0]).toContain('says right');
  });
  it('does not flag a negated direction', () => {
    expect(directionContradictions('The dog does not run to the left.', right)).toHaveLength(0);
  });
  it('flags "still" when the box travels far, and a direction when it stays', () => {
    expect(directionContradictions('The person stands still.', right)).toHaveLength(1);
    expect(directionContradictions('The person walks to the right.', motion({}))).toHaveLength(1);
    expect(directionContradictions('The person stands still.', motion({}))).toHaveLength(0);
  });
  it('checks closer/away against the box size', () => {
    expect(directionContradictions('The car comes closer.', motion({ scale: 'receding', scaleRatio: 0.5 }))).toHaveLength(1);
    expect(directionContradictions('The car moves away from the camera.', motion({ scale: 'receding', scaleRatio: 0.5 }))).toHaveLength(0);
  });
  it('ignores a small component of mostly vertical motion', () => {
    const down = motion({ dx: -10, dy: 200, netBoxes: 5, direction: 'down', speed: 'fast', shape: 'straight', text: 'moves down' });
    expect(directionContradictions('It falls to the right', down)).toHaveLength(0);
  });
});

describe('checkCaption', () => {
  const base = { category: 'dog', categories: ['dog', 'person', 'car'], spanFrames: 60, minSpanFrames: 15, motion: right };
  it('flags empty captions, short spans and other categories', () => {
    expect(checkCaption({ ...base, caption: '  ' }).map((f) => f.kind)).toEqual(['empty']);
    expect(checkCaption({ ...base, caption: 'The dog runs to the right.', spanFrames: 5 }).map((f) => f.kind)).toEqual(['short']);
    expect(checkCaption({ ...base, caption: 'The car drives to the right.' }).map((f) => f.kind)).toEqual(['category']);
    expect(checkCaption({ ...base, caption: 'The dog chases the car to the right.' })).toHaveLength(0);
    expect(checkCaption({ ...base, caption: 'Two dogs run to the right.' })).toHaveLength(0);
  });
  it('a true caption passes', () => {
    expect(checkCaption({ ...base, caption: 'The brown dog runs to the right.' })).toEqual([]);
  });
});
