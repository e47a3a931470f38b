// Messages between FrameClock (main thread) and frameSource.worker.ts.

export interface VideoInfo {
  /** Display size: after pixel aspect ratio and rotation. The canvas backing store size. */
  width: number;
  height: number;
  /** Clockwise rotation (degrees) the container asks for; frames arrive unrotated. */
  rotation: 0 | 90 | 180 | 270;
  /** mediabunny codec name ('avc', 'vp9', …) and the full codec string ('avc1.64001e'). */
  codec: string;
  codecString: string;
  frameCount: number;
  /** Display timestamps in seconds, sorted; index i = frame i. */
  timestamps: Float64Array<ArrayBuffer>;
  /** Median-gap estimate; never multiply by it to find a frame — use timestamps. */
  fps: number;
  vfr: boolean;
  /** Seconds from the first frame's start to the last frame's end. */
  duration: number;
  /** Timestamp of frame 0 (may be non-zero). */
  startTime: number;
  /** Packets the container holds but does not present (hidden by an edit list). */
  hiddenPackets: number;
}

export type VideoErrorKind = 'no-video-track' | 'unsupported-codec' | 'unreadable' | 'http' | 'network' | 'decode';

export interface VideoErrorInfo {
  kind: VideoErrorKind;
  message: string;
  codec?: string;
  status?: number;
}

export type ToWorker =
  | {
      type: 'open';
      src: string | Blob;
      cacheBytes?: number;
      hardwareAcceleration?: 'no-preference' | 'prefer-hardware' | 'prefer-software';
    }
  | { type: 'seek'; index: number; requestId: number }
  | { type: 'play'; fromIndex: number; requestId: number; maxInFlight: number }
  | { type: 'ack'; requestId: number }
  | { type: 'pause'; requestId: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'info'; info: VideoInfo }
  | { type: 'error'; error: VideoErrorInfo; requestId?: number }
  | { type: 'frame'; index: number; requestId: number; frame: VideoFrame; timestamp: number }
  /** Play stream reached the last frame (everything up to it has been sent). */
  | { type: 'end'; requestId: number };
