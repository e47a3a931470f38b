// Messages between EncoderClient (main thread) and encoder.worker.ts.
import type { ModelManifest } from './manifest';
import type { Provider, ProviderChoice } from './provider';
import type { Box } from '../model/types';

/** A picture to encode: a decoded frame (transferred, closed by the worker) or raw RGBA. */
export type Picture = { frame: VideoFrame; rotation?: 0 | 90 | 180 | 270 } | { rgba: Uint8ClampedArray<ArrayBuffer>; width: number; height: number };

export interface FeatureData {
  data: Float32Array<ArrayBuffer>;
  channels: number;
  width: number;
  height: number;
}

export type ToEncoder =
  | { type: 'load'; id: number; manifest: ModelManifest; bytes: ArrayBuffer; choice: ProviderChoice; wasmBase: string }
  | {
      type: 'run';
      id: number;
      index: number;
      picture: Picture;
      /** Display size of the video: what boxes are measured in. */
      videoWidth: number;
      videoHeight: number;
      features?: boolean;
      /** Also estimate the camera's shift from the previous `run` with the same `sequence` (if it was frame index−1). */
      sequence?: string;
    }
  | { type: 'track-start'; id: number; box: Box; index: number; picture: Picture; videoWidth: number; videoHeight: number; minConfidence?: number }
  | { type: 'track-step'; id: number; index: number; picture: Picture }
  | { type: 'dispose' };

export interface RunResult {
  index: number;
  embedding: Float32Array<ArrayBuffer>;
  features?: FeatureData;
  /** Scene shift from the previous frame of the sequence, video px (null: not estimated). */
  camera: { dx: number; dy: number; confidence: number } | null;
  ms: number;
}

export type FromEncoder =
  | { type: 'loaded'; id: number; provider: Provider; reason: string; threads: number; ms: number }
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'tracked'; id: number; index: number; box: Box | null; confidence: number; lost?: 'confidence' | 'left-view'; ms: number }
  | { type: 'error'; id: number; message: string };
