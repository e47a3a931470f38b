import { describe, expect, it } from 'vitest';
import {
  clampIndex,
  displayTimestamps,
  duration,
  estimateFps,
  frameAtTime,
  indexOfTimestamp,
  isVariableFrameRate,
  medianDelta,
} from './timestamps';

const cfr = (n: number, fps: number, start = 0): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => start + i / fps);

describe('displayTimestamps', () => {
  it('sorts decode-order (B-frame) timestamps', () => {
    const ts = displayTimestamps([0, 0.1, 0.0333, 0.0667, 0.2, 0.1333, 0.1667]);
    expect(Array.from(ts)).toEqual([0, 0.0333, 0.0667, 0.1, 0.1333, 0.1667, 0.2]);
  });
  it('drops frames hidden by an edit list (negative timestamps), as mediabunny reports them', () => {
    // h264-editlist.mp4: 120 packets from -0.3 s; ffprobe presents 111 frames from 0.
    const packets = Array.from({ length: 120 }, (_, i) => -0.3 + i / 30);
    const ts = displayTimestamps(packets);
    expect(ts.length).toBe(111);
    expect(ts[0]).toBeCloseTo(0, 9);
  });
  it('treats float noise around 0 as 0, not as hidden', () => {
    const ts = displayTimestamps([-1e-12, 1 / 30]);
    expect(ts.length).toBe(2);
    expect(ts[0]).toBe(0);
  });
  it('hides a frame straddling the edit start', () => {
    expect(Array.from(displayTimestamps([-0.01, 0.0233, 0.0567]))).toEqual([0.0233, 0.0567]);
  });
  it('keeps a non-zero start', () => {
    const ts = displayTimestamps([1.5, 1.5667, 1.5333]);
    expect(Array.from(ts)).toEqual([1.5, 1.5333, 1.5667]);
  });
  it('collapses duplicates and ignores non-finite values', () => {
    expect(Array.from(displayTimestamps([0, 0, 1, NaN, Infinity]))).toEqual([0, 1]);
  });
  it('handles empty input', () => {
    expect(displayTimestamps([]).length).toBe(0);
  });
});

describe('frameAtTime', () => {
  const ts = cfr(10, 30, 1.5);
  it('finds the frame at or before t', () => {
    expect(frameAtTime(ts, 1.5)).toBe(0);
    expect(frameAtTime(ts, 1.5 + 1 / 30)).toBe(1);
    expect(frameAtTime(ts, 1.5 + 1.9 / 30)).toBe(1);
    expect(frameAtTime(ts, 1.5 + 2.5 / 30)).toBe(2);
  });
  it('snaps forward by at most 1 ms (ms-rounded times)', () => {
    expect(frameAtTime(ts, 1.533)).toBe(1); // frame 1 starts at 1.53333
    expect(frameAtTime(ts, 1.531)).toBe(0);
  });
  it('half-frame tolerance before the first frame, −1 earlier', () => {
    expect(frameAtTime(ts, 1.49)).toBe(0);
    expect(frameAtTime(ts, 1.4)).toBe(-1);
    expect(frameAtTime(ts, 0)).toBe(-1);
  });
  it('clamps past the end', () => {
    expect(frameAtTime(ts, 100)).toBe(9);
  });
  it('works on VFR timestamps', () => {
    const v = Float64Array.from([0, 0.0333, 0.1, 0.1167, 0.2167]);
    expect(frameAtTime(v, 0.09)).toBe(1);
    expect(frameAtTime(v, 0.1)).toBe(2);
    expect(frameAtTime(v, 0.2)).toBe(3);
    expect(frameAtTime(v, 0.3)).toBe(4);
  });
  it('empty → −1', () => {
    expect(frameAtTime(new Float64Array(0), 0)).toBe(-1);
  });
  it('agrees with a linear scan on random VFR data', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const v: number[] = [0.25];
    for (let i = 1; i < 500; i++) v.push((v[i - 1] as number) + 0.01 + rnd() * 0.1);
    const arr = Float64Array.from(v);
    for (let k = 0; k < 2000; k++) {
      const t = rnd() * 60;
      let want = -1;
      for (let i = 0; i < arr.length; i++) if ((arr[i] as number) <= t) want = i;
      const got = frameAtTime(arr, t);
      if (want >= 0 && want + 1 < arr.length && (arr[want + 1] as number) - t <= 0.001) want++;
      if (want < 0) want = (arr[0] as number) - t <= 0.5 * ((arr[1] as number) - (arr[0] as number)) ? 0 : -1;
      expect(got).toBe(want);
    }
  });
});

describe('indexOfTimestamp', () => {
  const ts = cfr(5, 30);
  it('maps a decoded frame timestamp back to its index', () => {
    expect(indexOfTimestamp(ts, 2 / 30 + 1e-9)).toBe(2);
    expect(indexOfTimestamp(ts, 0.0667)).toBe(2);
    expect(indexOfTimestamp(ts, 0)).toBe(0);
  });
  it('returns −1 far from any frame', () => {
    expect(indexOfTimestamp(ts, -0.3)).toBe(-1);
    expect(indexOfTimestamp(ts, 1)).toBe(-1);
  });
});

describe('fps, VFR, duration', () => {
  it('estimates fps from the median gap', () => {
    expect(estimateFps(cfr(100, 30))).toBeCloseTo(30, 6);
    expect(estimateFps(cfr(100, 29.97, 3))).toBeCloseTo(29.97, 6);
    expect(estimateFps([0])).toBe(0);
  });
  it('is robust to an odd gap', () => {
    const v = Array.from(cfr(50, 25));
    v.push(10);
    expect(estimateFps(v)).toBeCloseTo(25, 6);
  });
  it('WebM millisecond rounding is not VFR', () => {
    const v = Array.from({ length: 120 }, (_, i) => Math.round((i * 1000) / 30) / 1000);
    expect(isVariableFrameRate(v)).toBe(false);
    expect(estimateFps(v)).toBeGreaterThan(29);
  });
  it('detects VFR', () => {
    expect(isVariableFrameRate([0, 1 / 30, 2 / 30, 2 / 30 + 1 / 15, 2 / 30 + 2 / 15])).toBe(true);
    expect(isVariableFrameRate(cfr(100, 30))).toBe(false);
  });
  it('duration = last end − first start', () => {
    expect(duration(cfr(90, 30, 1.5))).toBeCloseTo(3, 9);
    expect(duration([0, 1, 2], 0.5)).toBe(2.5);
    expect(duration([])).toBe(0);
    expect(medianDelta([0, 1, 3])).toBe(1.5);
  });
  it('clampIndex', () => {
    expect(clampIndex(-3, 10)).toBe(0);
    expect(clampIndex(12, 10)).toBe(9);
    expect(clampIndex(3.4, 10)).toBe(3);
    expect(clampIndex(Infinity, 10)).toBe(9);
    expect(clampIndex(5, 0)).toBe(0);
  });
});
