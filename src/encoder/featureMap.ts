/**
 * Feature maps as the encoder's dense output. Kept free of the DOM and of onnxruntime so the
 * same code runs in the encoder worker and in unit tests.
 */

/** A dense feature map of one frame, channel-major: data[c * h * w + y * w + x]. */
export interface FeatureMap {
  data: Float32Array;
  channels: number;
  width: number;
  height: number;
  /** Video pixels per feature cell along x and y (video size / map size). */
  scaleX: number;
  scaleY: number;
}

/** A feature map whose cells cover a `videoWidth` × `videoHeight` video. */
export function featureMap(data: Float32Array, channels: number, width: number, height: number, videoWidth: number, videoHeight: number): FeatureMap {
  if (data.length < channels * width * height) throw new Error(`feature map data has ${data.length} values, need ${channels}×${width}×${height}`);
  return { data, channels, width, height, scaleX: videoWidth / width, scaleY: videoHeight / height };
}

/**
 * Cell coordinates of a video pixel position. Cell i covers video pixels [i·scale, (i+1)·scale)
 * and its value stands for its centre, hence the half-cell offset.
 */
export function toCellX(map: FeatureMap, x: number): number {
  return x / map.scaleX - 0.5;
}
export function toCellY(map: FeatureMap, y: number): number {
  return y / map.scaleY - 0.5;
}

/** Channel c at fractional cell coordinates (x, y), bilinear, clamped to the edge cells. */
export function sampleBilinear(map: FeatureMap, c: number, x: number, y: number): number {
  const { data, width: w, height: h } = map;
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const base = c * w * h;
  const r0 = base + y0 * w;
  const r1 = base + y1 * w;
  const top = data[r0 + x0]! + (data[r0 + x1]! - data[r0 + x0]!) * fx;
  const bottom = data[r1 + x0]! + (data[r1 + x1]! - data[r1 + x0]!) * fx;
  return top + (bottom - top) * fy;
}
