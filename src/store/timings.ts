import type { VideoMeta } from '../model/types';
import type { VideoTiming } from '../tasks/generate';
import { load, saveSoon } from './persistence';

/**
 * Frame times of every video opened once, kept so the review queue and the export can render
 * seconds from the container's timestamps without decoding the video again.
 */
const key = (videoId: string) => `timing:${videoId}`;

export function timingOf(timestamps: Float64Array, fps: number): VideoTiming {
  const n = timestamps.length;
  return { timestamps, duration: n ? timestamps[n - 1]! - timestamps[0]! + 1 / (fps || 30) : 0 };
}

export function saveTiming(videoId: string, timestamps: Float64Array, fps: number): void {
  saveSoon(key(videoId), { timestamps, fps });
}

/** The saved frame times, or times from the annotation's nominal frame rate (then `nominal` is true). */
export interface SavedTiming extends VideoTiming {
  /** The container's frame rate (what corrections' reach was computed from when the video was open). */
  fps: number;
  /** True when no video was ever opened: times come from the annotation's nominal frame rate. */
  nominal: boolean;
}

export async function loadTiming(video: VideoMeta): Promise<SavedTiming> {
  const saved = await load<{ timestamps: Float64Array; fps: number }>(key(video.id));
  if (saved?.timestamps?.length) return { ...timingOf(saved.timestamps, saved.fps), fps: saved.fps, nominal: false };
  const fps = video.fps > 0 ? video.fps : 30;
  const ts = new Float64Array(Math.min(Math.max(0, Math.floor(video.frameCount) || 0), 10_000_000));
  for (let i = 0; i < ts.length; i++) ts[i] = i / fps;
  return { ...timingOf(ts, fps), fps, nominal: true };
}
