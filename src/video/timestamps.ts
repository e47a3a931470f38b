// Frame timestamps: the bridge between seconds and frame indices. Pure (no DOM, no I/O).
//
// Frame index i is the i-th frame in presentation order *as the container presents it*.
//
// What mediabunny (1.61) reports, and therefore the rule applied here (verified on the
// fixtures in public/fixtures/video against ffprobe):
//
//  - MP4 edit lists are applied to packet timestamps: t = (pts - media_time) / timescale
//    plus the duration of any leading empty edit. So
//      * an empty edit (first frame shown late, e.g. `-output_ts_offset 1.5`) gives a
//        non-zero first timestamp (1.5 s) — the same as ffprobe's pts_time;
//      * packets that the edit list hides (before media_time) keep their place in the
//        packet list but get NEGATIVE timestamps (h264-editlist.mp4: 120 packets,
//        timestamps -0.3 … 3.667; ffprobe presents 111 frames, 0 … 3.667).
//    Only the first non-empty edit is honoured (mediabunny warns on others), rate must be 1,
//    and the segment_duration (a trim at the end) is ignored by mediabunny.
//  - WebM/Matroska: block timestamps (ms), relative to the cluster; no offsets applied.
//  - Timestamps are floats in seconds, exact up to the container timescale (|Δ| ≤ 1 µs vs
//    ffprobe's 6-decimal pts_time on the fixtures). No offset relative to ffprobe.
//  - VFR: nothing special; every packet has its own timestamp. Never derive time from fps.
//
// Rule: a packet is a displayed frame iff its timestamp is ≥ 0 (within HIDDEN_EPS). A frame
// that straddles the edit start (starts before 0, ends after) is hidden, as in ffmpeg's mov
// demuxer, which discards video samples whose cts precedes the edit's media_time. Duplicate
// timestamps (two packets claiming the same instant) collapse into one frame: a timestamp is
// the only handle a decoder gives back, so two frames with one timestamp cannot be told apart.

/** Timestamps more negative than this are frames hidden by an edit list. */
export const HIDDEN_EPS = 1e-7;
/** Two timestamps closer than this are the same instant (float noise of timescale division). */
export const SAME_EPS = 1e-7;

/**
 * The display timestamps (sorted, seconds) of the frames of a track, from its packets'
 * presentation timestamps in any order (decode order with B-frames is fine).
 */
export function displayTimestamps(packetTimestamps: ArrayLike<number>): Float64Array<ArrayBuffer> {
  const kept: number[] = [];
  for (let i = 0; i < packetTimestamps.length; i++) {
    const t = packetTimestamps[i] as number;
    if (Number.isFinite(t) && t >= -HIDDEN_EPS) kept.push(t < 0 ? 0 : t);
  }
  const sorted = Float64Array.from(kept).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i] as number;
    if (n === 0 || t - (sorted[n - 1] as number) > SAME_EPS) sorted[n++] = t;
  }
  return sorted.slice(0, n);
}

/** Index of the last timestamp ≤ t (−1 if none). Binary search. */
function lastAtOrBefore(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Duration of frame i: the gap to the next frame, or the median gap for the last frame. */
export function frameDuration(ts: ArrayLike<number>, i: number): number {
  if (i >= 0 && i + 1 < ts.length) return (ts[i + 1] as number) - (ts[i] as number);
  return medianDelta(ts);
}

/**
 * The frame on screen at time t (seconds): the last frame starting at or before t, with
 * tolerances so that rounded times land where they were meant to:
 *  - t up to SNAP_S (1 ms, at most half a frame) before a frame's start counts as that frame
 *    (times rounded to ms, e.g. 0.033 for a frame at 0.0333…, or float noise);
 *  - before the first frame: 0 if within half a frame of it, else −1;
 *  - after the last frame: the last frame (clamped) — callers that care compare with the end.
 * Returns −1 for an empty list.
 */
export function frameAtTime(ts: ArrayLike<number>, t: number): number {
  const n = ts.length;
  if (n === 0 || Number.isNaN(t)) return -1;
  let i = lastAtOrBefore(ts, t);
  if (i < 0) return (ts[0] as number) - t <= 0.5 * frameDuration(ts, 0) ? 0 : -1;
  if (i + 1 < n) {
    const next = ts[i + 1] as number;
    if (next - t <= Math.min(SNAP_S, 0.5 * (next - (ts[i] as number)))) i++;
  }
  return i;
}

/** Forward snap of frameAtTime, seconds. */
export const SNAP_S = 0.001;

/**
 * The frame whose timestamp is t, within half a frame on either side; −1 if none.
 * Used to tag decoded frames with their index.
 */
export function indexOfTimestamp(ts: ArrayLike<number>, t: number): number {
  const n = ts.length;
  if (n === 0) return -1;
  let i = lastAtOrBefore(ts, t);
  if (i < 0) i = 0;
  else if (i + 1 < n && Math.abs((ts[i + 1] as number) - t) < Math.abs(t - (ts[i] as number))) i++;
  const prevGap = i > 0 ? (ts[i] as number) - (ts[i - 1] as number) : Infinity;
  const nextGap = i + 1 < n ? (ts[i + 1] as number) - (ts[i] as number) : Infinity;
  let half = 0.5 * Math.min(prevGap, nextGap);
  if (!Number.isFinite(half)) half = 0.5; // a single frame: be generous
  return Math.abs(t - (ts[i] as number)) <= half ? i : -1;
}

/** Median of the gaps between consecutive timestamps (0 with fewer than two). */
export function medianDelta(ts: ArrayLike<number>): number {
  if (ts.length < 2) return 0;
  const d = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) d[i - 1] = (ts[i] as number) - (ts[i - 1] as number);
  d.sort();
  const m = d.length >> 1;
  return d.length % 2 ? (d[m] as number) : 0.5 * ((d[m - 1] as number) + (d[m] as number));
}

/** Frames per second from the median gap (robust to a few odd gaps); 0 if unknown. */
export function estimateFps(ts: ArrayLike<number>): number {
  const m = medianDelta(ts);
  return m > 0 ? 1 / m : 0;
}

/**
 * True when gaps differ from the median by more than the container's rounding can explain:
 * more than max(1.5 ms, 10 % of the median). WebM stores ms, so 30 fps is 33/34 ms — CFR.
 */
export function isVariableFrameRate(ts: ArrayLike<number>): boolean {
  const m = medianDelta(ts);
  if (m <= 0) return false;
  const tol = Math.max(0.0015, 0.1 * m);
  for (let i = 1; i < ts.length; i++) {
    if (Math.abs((ts[i] as number) - (ts[i - 1] as number) - m) > tol) return true;
  }
  return false;
}

/**
 * Presentation span in seconds: from the first frame's start to the last frame's end.
 * `lastFrameDuration` (from the container) defaults to the median gap.
 */
export function duration(ts: ArrayLike<number>, lastFrameDuration?: number): number {
  const n = ts.length;
  if (n === 0) return 0;
  const last = lastFrameDuration !== undefined && lastFrameDuration > 0 ? lastFrameDuration : medianDelta(ts);
  return (ts[n - 1] as number) + last - (ts[0] as number);
}

/** Clamp a (possibly fractional or out-of-range) index into [0, frameCount − 1]. */
export function clampIndex(i: number, frameCount: number): number {
  if (frameCount <= 0) return 0;
  if (!Number.isFinite(i)) return i > 0 ? frameCount - 1 : 0;
  return Math.min(frameCount - 1, Math.max(0, Math.round(i)));
}
