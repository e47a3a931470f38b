/** Frame ↔ x mapping of the timeline's visible window. */
export interface LaneView {
  start: number;
  end: number;
  width: number;
}

export function frameToX(v: LaneView, frame: number): number {
  return ((frame - v.start) / Math.max(1, v.end - v.start)) * v.width;
}

export function xToFrame(v: LaneView, x: number): number {
  return Math.floor(v.start + (x / Math.max(1, v.width)) * (v.end - v.start));
}
