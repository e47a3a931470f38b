/** Where a video of natural size (w, h) sits when fitted and centred in a box (cw, ch). */
export interface Fit {
  x: number;
  y: number;
  scale: number;
  width: number;
  height: number;
}

export function fitRect(w: number, h: number, cw: number, ch: number): Fit {
  if (w <= 0 || h <= 0 || cw <= 0 || ch <= 0) return { x: 0, y: 0, scale: 1, width: 0, height: 0 };
  const scale = Math.min(cw / w, ch / h);
  const width = w * scale;
  const height = h * scale;
  return { x: (cw - width) / 2, y: (ch - height) / 2, scale, width, height };
}
