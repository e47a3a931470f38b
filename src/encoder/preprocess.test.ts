import { describe, expect, it } from 'vitest';
import { inputSize, toTensor, type TensorSpec } from './preprocess';

describe('inputSize', () => {
  it('is the manifest size when the network has a fixed input', () => {
    expect(inputSize(1280, 720, { width: 224, height: 224 })).toEqual({ width: 224, height: 224 });
    expect(inputSize(720, 1280, { width: 320, height: 256 })).toEqual({ width: 320, height: 256 });
  });

  it('keeps the aspect with the long side at the manifest long side, on the multiple', () => {
    // 512 × 720/1280 = 288 = 9 × 32
    expect(inputSize(1280, 720, { width: 512, height: 512, keepAspect: { multiple: 32 } })).toEqual({ width: 512, height: 288 });
    // Portrait: the long side is the height.
    expect(inputSize(720, 1280, { width: 512, height: 512, keepAspect: { multiple: 32 } })).toEqual({ width: 288, height: 512 });
    // 640 × 480/640 = 480 = 15 × 32; the manifest's long side is whichever of width/height is larger.
    expect(inputSize(640, 480, { width: 320, height: 640, keepAspect: { multiple: 32 } })).toEqual({ width: 640, height: 480 });
  });

  it('rounds each side to the nearest multiple', () => {
    // 224 × 1080/1920 = 126 → 128 (nearest multiple of 32); 224 itself is 7 × 32.
    expect(inputSize(1920, 1080, { width: 224, height: 224, keepAspect: { multiple: 32 } })).toEqual({ width: 224, height: 128 });
    // 500 → 512 on the long side, 500 × 0.5 = 250 → 256.
    expect(inputSize(1000, 500, { width: 500, height: 500, keepAspect: { multiple: 32 } })).toEqual({ width: 512, height: 256 });
    // 100 × 0.75 = 75 → 76 with multiple 4.
    expect(inputSize(400, 300, { width: 100, height: 100, keepAspect: { multiple: 4 } })).toEqual({ width: 100, height: 76 });
  });

  it('never goes below one multiple', () => {
    expect(inputSize(4000, 100, { width: 256, height: 256, keepAspect: { multiple: 32 } })).toEqual({ width: 256, height: 32 });
    expect(inputSize(10, 1000, { width: 8, height: 8, keepAspect: { multiple: 32 } })).toEqual({ width: 32, height: 32 });
  });
});

// A 2 × 1 picture: a red-ish pixel then a blue-ish pixel.
const rgba = new Uint8ClampedArray([255, 0, 51, 255, 0, 102, 255, 255]);
const identity: TensorSpec = { layout: 'NCHW', channels: 'RGB', range: 255, mean: [0, 0, 0], std: [1, 1, 1] };

describe('toTensor', () => {
  it('writes NCHW RGB planes scaled by range', () => {
    const t = toTensor(rgba, 2, 1, identity);
    expect(Array.from(t)).toEqual([1, 0, 0, 0.4, 0.2, 1].map(Math.fround));
  });

  it('writes NHWC RGB interleaved', () => {
    const t = toTensor(rgba, 2, 1, { ...identity, layout: 'NHWC' });
    expect(Array.from(t)).toEqual([1, 0, 0.2, 0, 0.4, 1].map(Math.fround));
  });

  it('swaps to BGR and applies mean/std in the BGR order', () => {
    // mean/std listed as [B, G, R].
    const spec: TensorSpec = { layout: 'NCHW', channels: 'BGR', range: 1, mean: [10, 20, 30], std: [2, 4, 5] };
    const t = toTensor(rgba, 2, 1, spec);
    // B plane: (51−10)/2, (255−10)/2; G plane: (0−20)/4, (102−20)/4; R plane: (255−30)/5, (0−30)/5
    expect(Array.from(t)).toEqual([20.5, 122.5, -5, 20.5, 45, -6]);
    const nhwc = toTensor(rgba, 2, 1, { ...spec, layout: 'NHWC' });
    expect(Array.from(nhwc)).toEqual([20.5, -5, 45, 122.5, 20.5, -6]);
  });

  it('applies ImageNet-style mean/std per RGB channel', () => {
    const spec: TensorSpec = { layout: 'NHWC', channels: 'RGB', range: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const t = toTensor(rgba, 2, 1, spec);
    const want = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.2 - 0.406) / 0.225, (0 - 0.485) / 0.229, (0.4 - 0.456) / 0.224, (1 - 0.406) / 0.225];
    want.forEach((v, i) => expect(t[i]).toBeCloseTo(v, 5));
  });

  it('ignores alpha, accepts Uint8Array and reuses an output buffer', () => {
    const out = new Float32Array(6).fill(99);
    const t = toTensor(new Uint8Array([255, 0, 51, 0, 0, 102, 255, 17]), 2, 1, identity, out);
    expect(t).toBe(out);
    expect(Array.from(t)).toEqual([1, 0, 0, 0.4, 0.2, 1].map(Math.fround));
  });

  it('puts pixel (x, y) at y·w + x in each plane', () => {
    const w = 3;
    const h = 2;
    const px = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) px.set([i, 10 + i, 20 + i, 255], i * 4);
    const t = toTensor(px, w, h, { ...identity, range: 1 });
    // Pixel (x=2, y=1) is index 5.
    expect([t[5], t[6 + 5], t[12 + 5]]).toEqual([5, 15, 25]);
    const n = toTensor(px, w, h, { ...identity, range: 1, layout: 'NHWC' });
    expect(Array.from(n.subarray(15, 18))).toEqual([5, 15, 25]);
  });

  it('rejects a picture too small for its size', () => {
    expect(() => toTensor(new Uint8Array(7), 2, 1, identity)).toThrow(/need 8/);
  });
});
