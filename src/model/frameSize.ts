import type { Annotation, KeyframeTable } from './types';

/**
 * Proposals made at another resolution than the video file (annotated on the original, played from
 * a smaller transcode, or the other way round). Boxes are pixels of the video's natural size, so
 * when the shape is the same they are scaled to the file; when it is not, they cannot be mapped
 * and are left as they are, with the reason.
 */
export interface SizeFit {
  annotation: Annotation;
  /** What happened, for the person opening the video; null when the sizes already agree. */
  note: string | null;
}

/** Aspect ratios closer than this are one shape (encoders round sizes to even numbers). */
const SAME_SHAPE = 0.01;

export function fitToFrameSize(a: Annotation, width: number, height: number): SizeFit {
  const { width: w, height: h } = a.video;
  if (w === width && h === height) return { annotation: a, note: null };
  const was = `${w}×${h}`;
  const is = `${width}×${height}`;
  if (!(w > 0 && h > 0 && width > 0 && height > 0) || Math.abs(w / h / (width / height) - 1) > SAME_SHAPE) {
    return { annotation: a, note: `The proposals are for a ${was} picture, the video file is ${is}, another shape: boxes are drawn as given; check that they belong to this video.` };
  }
  const sx = width / w;
  const sy = height / h;
  const scaled = (k: KeyframeTable): KeyframeTable => ({ ...k, boxes: Float32Array.from(k.boxes, (v, i) => v * (i % 2 === 0 ? sx : sy)) });
  const tracks = a.tracks.map((t) => ({ ...t, keys: scaled(t.keys), ...(t.human ? { human: scaled(t.human) } : {}) }));
  return {
    annotation: { ...a, video: { ...a.video, width, height }, tracks },
    note: `The proposals are for ${was}, the video file is ${is}: boxes scaled to it (×${Math.round(sx * 1000) / 1000}).`,
  };
}
