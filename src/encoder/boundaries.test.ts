import { describe, expect, it } from 'vitest';
import { adjacentSimilarity, cosine, l2normalize, proposeSpans, suggestBoundaries } from './boundaries';

function rng(seed: number) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, gauss };
}

/**
 * Embeddings of a video whose content changes slowly (a random walk of the scene, `step` per frame,
 * possibly changing along the video) seen with per-frame noise, jumping to a new scene at `cuts`.
 */
function walk(n: number, opts: { seed: number; cuts?: number[]; step?: (t: number) => number; noise?: number; dim?: number }): Float32Array[] {
  const dim = opts.dim ?? 128;
  const { gauss } = rng(opts.seed);
  const unit = 1 / Math.sqrt(dim);
  const fresh = () => Float64Array.from({ length: dim }, () => gauss() * unit);
  let scene = fresh();
  const out: Float32Array[] = [];
  for (let t = 0; t < n; t++) {
    if (opts.cuts?.includes(t)) scene = fresh();
    else if (t > 0) {
      const s = opts.step ? opts.step(t) : 0.1;
      for (let d = 0; d < dim; d++) scene[d] = scene[d]! + s * gauss() * unit;
    }
    const noise = opts.noise ?? 0.1;
    out.push(Float32Array.from(scene, (v) => v + noise * gauss() * unit));
  }
  return out;
}

describe('cosine and l2normalize', () => {
  it('measures angle, not length', () => {
    expect(cosine([1, 0], [5, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 2])).toBeCloseTo(0);
    expect(cosine([1, 1], [-1, -1])).toBeCloseTo(-1);
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(() => cosine([1], [1, 2])).toThrow();
  });

  it('scales to unit length, in place when asked', () => {
    const v = new Float32Array([3, 4]);
    expect(Array.from(l2normalize(v))).toEqual([0.6, 0.8].map(Math.fround));
    expect(Array.from(v)).toEqual([3, 4]);
    expect(l2normalize(v, v)).toBe(v);
    expect(v[1]).toBeCloseTo(0.8);
    expect(Array.from(l2normalize([0, 0]))).toEqual([0, 0]);
  });
});

describe('adjacentSimilarity', () => {
  it('compares each frame with the previous, NaN where one is missing', () => {
    const e = [new Float32Array([1, 0]), new Float32Array([1, 0]), null, new Float32Array([0, 1]), new Float32Array([1, 1])];
    const sim = adjacentSimilarity(e);
    expect(sim.length).toBe(5);
    expect(sim[0]).toBeNaN();
    expect(sim[1]).toBeCloseTo(1);
    expect(sim[2]).toBeNaN();
    expect(sim[3]).toBeNaN();
    expect(sim[4]).toBeCloseTo(Math.SQRT1_2);
    expect(adjacentSimilarity([]).length).toBe(0);
  });
});

describe('suggestBoundaries', () => {
  it('finds a hard cut at the cut frame exactly', () => {
    const sim = adjacentSimilarity(walk(300, { seed: 1, cuts: [137] }));
    const b = suggestBoundaries(sim);
    expect(b.map((x) => x.frame)).toEqual([137]);
    expect(b[0]!.score).toBeGreaterThan(0.8);
    expect(b[0]!.score).toBeLessThanOrEqual(1);
  });

  it('finds two cuts far apart', () => {
    for (const seed of [2, 3, 4]) {
      const sim = adjacentSimilarity(walk(300, { seed, cuts: [80, 210] }));
      expect(suggestBoundaries(sim).map((x) => x.frame)).toEqual([80, 210]);
    }
  });

  it('gives nothing for gradual drift, even when the drift speeds up', () => {
    for (const seed of [5, 6, 7, 8]) {
      expect(suggestBoundaries(adjacentSimilarity(walk(400, { seed })))).toEqual([]);
      const faster = walk(400, { seed, step: (t) => 0.03 + (0.3 * t) / 400 });
      expect(suggestBoundaries(adjacentSimilarity(faster))).toEqual([]);
    }
  });

  it('finds a partial scene change that stands out of the noise, not one lost in it', () => {
    const withJump = (size: number) => {
      const e = walk(200, { seed: 9, noise: 0.05, step: () => 0.05 });
      const { gauss } = rng(99);
      const jump = Float64Array.from({ length: 128 }, () => (gauss() * size) / Math.sqrt(128));
      for (let t = 100; t < 200; t++) e[t] = Float32Array.from(e[t]!, (v, d) => v + jump[d]!);
      return suggestBoundaries(adjacentSimilarity(e)).map((x) => x.frame);
    };
    // The scene moves by about half its own length in one frame…
    expect(withJump(0.6)).toEqual([100]);
    // …or by no more than the frame-to-frame noise.
    expect(withJump(0.05)).toEqual([]);
  });

  it('skips missing embeddings and still finds the cut', () => {
    const e: (Float32Array | null)[] = walk(300, { seed: 10, cuts: [190] });
    for (let t = 50; t < 56; t++) e[t] = null;
    const b = suggestBoundaries(adjacentSimilarity(e));
    expect(b.map((x) => x.frame)).toEqual([190]);
  });

  it('keeps only the strongest drop within minGap', () => {
    const sim = new Float32Array(60).fill(0.98);
    sim[0] = NaN;
    sim[30] = 0.6;
    sim[31] = 0.4;
    sim[33] = 0.7;
    expect(suggestBoundaries(sim).map((x) => x.frame)).toEqual([31]);
    expect(suggestBoundaries(sim, { minGap: 2 }).map((x) => x.frame)).toEqual([31, 33]);
  });

  it('needs the absolute minimum drop even where the video is perfectly still', () => {
    const sim = new Float32Array(40).fill(0.99);
    sim[20] = 0.97;
    expect(suggestBoundaries(sim)).toEqual([]);
    expect(suggestBoundaries(sim, { minDrop: 0.01 }).map((x) => x.frame)).toEqual([20]);
  });

  it('handles empty and tiny inputs', () => {
    expect(suggestBoundaries([])).toEqual([]);
    expect(suggestBoundaries([NaN])).toEqual([]);
    expect(suggestBoundaries([NaN, 0.2])).toEqual([]);
    expect(suggestBoundaries([NaN, NaN, NaN])).toEqual([]);
    expect(suggestBoundaries([NaN, 0.99, 0.2]).map((x) => x.frame)).toEqual([2]);
  });
});

describe('proposeSpans', () => {
  it('cuts a visible stretch at the boundaries inside it', () => {
    expect(proposeSpans([[0, 99]], [60, 30], 10)).toEqual([
      [0, 29],
      [30, 59],
      [60, 99],
    ]);
  });

  it('ignores boundaries outside a stretch or at its first frame', () => {
    expect(
      proposeSpans(
        [
          [0, 50],
          [70, 120],
        ],
        [0, 20, 60, 70, 100, 130],
        10,
      ),
    ).toEqual([
      [0, 19],
      [20, 50],
      [70, 99],
      [100, 120],
    ]);
  });

  it('merges a short piece into its shorter neighbour', () => {
    expect(proposeSpans([[0, 99]], [30, 35], 10)).toEqual([
      [0, 34],
      [35, 99],
    ]);
    expect(proposeSpans([[0, 99]], [70, 95], 10)).toEqual([
      [0, 69],
      [70, 99],
    ]);
    // Several short pieces in a row end up as one.
    expect(proposeSpans([[0, 99]], [40, 43, 46, 49], 10)).toEqual([
      [0, 48],
      [49, 99],
    ]);
  });

  it('keeps a stretch shorter than minLength whole', () => {
    expect(proposeSpans([[5, 9]], [7], 10)).toEqual([[5, 9]]);
    expect(proposeSpans([], [3], 10)).toEqual([]);
  });
});
