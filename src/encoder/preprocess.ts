/**
 * Turning a decoded frame into an encoder's input tensor, as a model manifest (`imove-model/1`)
 * describes it. Pure typed-array code: it runs in the encoder worker and in unit tests alike.
 */

export interface InputSizeSpec {
  width: number;
  height: number;
  keepAspect?: { multiple: number };
}

export interface TensorSpec {
  layout: 'NCHW' | 'NHWC';
  channels: 'RGB' | 'BGR';
  range: number;
  /** In the order of `channels`: for BGR, mean[0] is for blue. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * Size to resize a `videoW` × `videoH` frame to before encoding. Fixed-size networks get their
 * size; fully convolutional ones (`keepAspect`) keep the video's aspect so boxes map back without
 * distortion, with the long side at the manifest's long side and both sides on the multiple the
 * network's strides need.
 */
export function inputSize(videoW: number, videoH: number, input: InputSizeSpec): { width: number; height: number } {
  if (!input.keepAspect) return { width: input.width, height: input.height };
  const m = input.keepAspect.multiple;
  const long = Math.max(input.width, input.height);
  const round = (v: number) => Math.max(m, Math.round(v / m) * m);
  if (!(videoW > 0 && videoH > 0)) return { width: round(long), height: round(long) };
  if (videoW >= videoH) return { width: round(long), height: round((long * videoH) / videoW) };
  return { width: round((long * videoW) / videoH), height: round(long) };
}

/**
 * An RGBA picture (`width` × `height`, 4 bytes per pixel) as a float tensor of 3 channels.
 * value = (px / range − mean[c]) / std[c], with c counted in the manifest's channel order.
 * `out` lets a worker reuse one buffer per frame.
 */
export function toTensor(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  input: TensorSpec,
  out?: Float32Array,
): Float32Array {
  const n = width * height;
  if (rgba.length < n * 4) throw new Error(`picture has ${rgba.length} bytes, need ${n * 4} for ${width}×${height} RGBA`);
  const tensor = out ?? new Float32Array(n * 3);
  if (tensor.length < n * 3) throw new Error(`output buffer has ${tensor.length} values, need ${n * 3}`);
  // Bytes take only 256 values, so a lookup table per channel replaces the per-pixel arithmetic.
  // Tables are indexed by RGBA source channel (0 = R), whatever the tensor's channel order.
  const bgr = input.channels === 'BGR';
  const lut = new Float32Array(768);
  for (let k = 0; k < 3; k++) {
    const src = bgr ? 2 - k : k;
    const mean = input.mean[k]!;
    const std = input.std[k]!;
    for (let v = 0; v < 256; v++) lut[src * 256 + v] = (v / input.range - mean) / std;
  }
  // Tensor channel k reads RGBA channel src(k): for BGR that swaps R and B.
  const o0 = bgr ? 2 : 0;
  const o2 = bgr ? 0 : 2;
  if (input.layout === 'NCHW') {
    const planeR = o0 * n;
    const planeG = n;
    const planeB = o2 * n;
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      tensor[planeR + i] = lut[rgba[p]!]!;
      tensor[planeG + i] = lut[256 + rgba[p + 1]!]!;
      tensor[planeB + i] = lut[512 + rgba[p + 2]!]!;
    }
  } else {
    for (let i = 0, p = 0, q = 0; i < n; i++, p += 4, q += 3) {
      tensor[q + o0] = lut[rgba[p]!]!;
      tensor[q + 1] = lut[256 + rgba[p + 1]!]!;
      tensor[q + o2] = lut[512 + rgba[p + 2]!]!;
    }
  }
  return tensor;
}
