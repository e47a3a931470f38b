import { describe, expect, it } from 'vitest';
import { propagate, startTracker } from './correlate';
import { featureMap, sampleBilinear, toCellX, toCellY, type FeatureMap } from './featureMap';
import type { Box } from '../model/types';

const VW = 640;
const VH = 384;
const MW = 80;
const MH = 48;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Blob {
  cx: number;
  cy: number;
  hw: number;
  hh: number;
}

/**
 * Features of a textured rectangular object over a textured static background, sampled at cell
 * centres as a stand-in for an encoder's map. The object's texture lives in its own coordinates,
 * so it moves and scales with the object.
 */
function scene(seed: number, channels = 16) {
  const r = rng(seed);
  const waves = (n: number, fmin: number, fmax: number) =>
    Array.from({ length: n }, () => {
      const f = fmin + (fmax - fmin) * r();
      const a = 2 * Math.PI * r();
      return { fx: f * Math.cos(a), fy: f * Math.sin(a), phase: 2 * Math.PI * r() };
    });
  // Background wavelengths 30–90 px (4–11 cells); object 2–6 radians per half-size.
  const bg = Array.from({ length: channels }, () => waves(3, (2 * Math.PI) / 90, (2 * Math.PI) / 30));
  const obj = Array.from({ length: channels }, () => ({ offset: 2 * r() - 1, waves: waves(3, 2, 6) }));
  const edge = (d: number) => Math.min(1, Math.max(0, d / 4 + 0.5));
  return (blob: Blob | null): FeatureMap => {
    const data = new Float32Array(channels * MW * MH);
    for (let y = 0; y < MH; y++) {
      const py = ((y + 0.5) * VH) / MH;
      for (let x = 0; x < MW; x++) {
        const px = ((x + 0.5) * VW) / MW;
        let m = 0;
        let u = 0;
        let v = 0;
        if (blob) {
          u = (px - blob.cx) / blob.hw;
          v = (py - blob.cy) / blob.hh;
          m = edge(blob.hw * (1 - Math.abs(u))) * edge(blob.hh * (1 - Math.abs(v)));
        }
        for (let c = 0; c < channels; c++) {
          let b = 0;
          for (const w of bg[c]!) b += Math.sin(w.fx * px + w.fy * py + w.phase);
          let o = 0;
          if (m > 0) {
            o = obj[c]!.offset * 2;
            for (const w of obj[c]!.waves) o += Math.sin(w.fx * u + w.fy * v + w.phase);
          }
          data[c * MW * MH + y * MW + x] = b * (1 - m) + o * m;
        }
      }
    }
    return featureMap(data, channels, MW, MH, VW, VH);
  };
}

const boxOf = (b: Blob): Box => [b.cx - b.hw, b.cy - b.hh, b.cx + b.hw, b.cy + b.hh];

function iou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

function run(render: (b: Blob | null) => FeatureMap, truth: (f: number) => Blob | null, frames: number[]) {
  const maps = new Map(frames.map((f) => [f, render(truth(f))]));
  const result = propagate({ start: boxOf(truth(frames[0]!)!), frames, features: (f) => maps.get(f)!, videoWidth: VW, videoHeight: VH });
  const ious = result.boxes.map((b) => iou(b.box, boxOf(truth(b.frame)!)));
  return { result, meanIou: ious.reduce((s, v) => s + v, 0) / ious.length, ious };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const moving = (f: number): Blob => ({ cx: 250 + 2.3 * f, cy: 200 - 1.1 * f, hw: 40, hh: 32 });

describe('sampleBilinear', () => {
  const map = featureMap(Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]), 2, 2, 2, 20, 20);

  it('reads cells at integer coordinates and interpolates between them', () => {
    expect(sampleBilinear(map, 0, 1, 0)).toBe(1);
    expect(sampleBilinear(map, 1, 0, 1)).toBe(12);
    expect(sampleBilinear(map, 0, 0.5, 0.5)).toBeCloseTo(1.5);
    expect(sampleBilinear(map, 1, 0.25, 1)).toBeCloseTo(12.25);
  });

  it('clamps outside the map to the edge cells', () => {
    expect(sampleBilinear(map, 0, -3, -3)).toBe(0);
    expect(sampleBilinear(map, 0, 5, 0.5)).toBeCloseTo(2);
  });

  it('maps video pixels to cell coordinates with cell centres at integers', () => {
    expect(toCellX(map, 5)).toBe(0);
    expect(toCellY(map, 15)).toBe(1);
    expect(map.scaleX).toBe(10);
  });
});

describe('propagate', () => {
  it('follows a textured blob moving by (2.3, −1.1) px per frame', () => {
    const { result, meanIou, ious } = run(scene(1), moving, range(30));
    expect(result.reason).toBe('end');
    expect(result.stoppedAt).toBeNull();
    expect(result.boxes.map((b) => b.frame)).toEqual(range(30));
    expect(result.boxes[0]!.confidence).toBe(1);
    expect(meanIou).toBeGreaterThanOrEqual(0.9);
    expect(ious[29]).toBeGreaterThan(0.85);
    for (const b of result.boxes) expect(b.confidence).toBeGreaterThan(0.5);
  });

  it('works backward in time', () => {
    const frames = range(30).reverse();
    const { result, meanIou } = run(scene(2), moving, frames);
    expect(result.reason).toBe('end');
    expect(result.boxes.map((b) => b.frame)).toEqual(frames);
    expect(meanIou).toBeGreaterThanOrEqual(0.9);
  });

  it('follows a blob that grows 2% per frame', () => {
    const growing = (f: number): Blob => ({ cx: 300, cy: 190, hw: 30 * 1.02 ** f, hh: 24 * 1.02 ** f });
    const { result, meanIou } = run(scene(3), growing, range(30));
    expect(result.reason).toBe('end');
    const last = result.boxes[29]!.box;
    const want = boxOf(growing(29));
    expect((last[2] - last[0]) / (want[2] - want[0])).toBeGreaterThan(0.9);
    expect((last[2] - last[0]) / (want[2] - want[0])).toBeLessThan(1.1);
    expect(meanIou).toBeGreaterThanOrEqual(0.85);
  });

  it('stops at the frame where the blob vanishes, without that frame', () => {
    const render = scene(4);
    const maps = range(30).map((f) => render(f < 15 ? moving(f) : null));
    const result = propagate({ start: boxOf(moving(0)), frames: range(30), features: (f) => maps[f]!, videoWidth: VW, videoHeight: VH });
    expect(result.reason).toBe('confidence');
    expect(result.stoppedAt).toBe(15);
    expect(result.boxes.length).toBe(15);
    expect(result.boxes.at(-1)!.frame).toBe(14);
  });

  it('stops at minConfidence or a sharp drop, not on a slowly changing look', () => {
    const render = scene(5);
    const maps = range(20).map((f) => render(moving(f)));
    const strict = propagate({ start: boxOf(moving(0)), frames: range(20), features: (f) => maps[f]!, videoWidth: VW, videoHeight: VH, minConfidence: 0.9999 });
    expect(strict.stoppedAt).toBe(1);
    expect(strict.boxes.length).toBe(1);
  });

  it('keeps boxes inside the video when the object leaves it', () => {
    const leaving = (f: number): Blob => ({ cx: 80 - 6 * f, cy: 40 - 3 * f, hw: 40, hh: 32 });
    const render = scene(6);
    const maps = range(25).map((f) => render(leaving(f)));
    const result = propagate({ start: boxOf(leaving(0)), frames: range(25), features: (f) => maps[f]!, videoWidth: VW, videoHeight: VH });
    for (const { box } of result.boxes) {
      expect(box[0]).toBeGreaterThanOrEqual(0);
      expect(box[1]).toBeGreaterThanOrEqual(0);
      expect(box[2]).toBeLessThanOrEqual(VW);
      expect(box[3]).toBeLessThanOrEqual(VH);
      expect(box[2]).toBeGreaterThanOrEqual(box[0]);
      expect(box[3]).toBeGreaterThanOrEqual(box[1]);
    }
  });

  it('returns the start alone for a single frame and nothing for none', () => {
    const render = scene(7);
    const map = render(moving(0));
    const one = propagate({ start: boxOf(moving(0)), frames: [12], features: () => map, videoWidth: VW, videoHeight: VH });
    expect(one).toEqual({ boxes: [{ frame: 12, box: boxOf(moving(0)), confidence: 1 }], stoppedAt: null, reason: 'end' });
    expect(propagate({ start: boxOf(moving(0)), frames: [], features: () => map, videoWidth: VW, videoHeight: VH }).boxes).toEqual([]);
  });

  it('steps one frame at a time for the worker and rejects a map of other channels', () => {
    const render = scene(8);
    const tracker = startTracker(boxOf(moving(0)), render(moving(0)), { videoWidth: VW, videoHeight: VH });
    const step = tracker.step(render(moving(1)));
    expect(step.lost).toBe(false);
    expect(iou(step.box, boxOf(moving(1)))).toBeGreaterThan(0.9);
    expect(() => tracker.step(scene(8, 4)(moving(2)))).toThrow(/channels/);
  });
});
