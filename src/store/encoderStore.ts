import { createStore } from 'zustand/vanilla';
import type { Provider, ProviderChoice } from '../encoder/provider';
import type { ModelEntry } from './modelLibrary';
import { DEFAULT_MODEL } from './modelLibrary';

export interface EncoderProgress {
  label: string;
  done: number;
  total: number;
}

export interface RetrackOutcome {
  trackId: string;
  from: number;
  to: number;
  /** First frame not propagated to because the tracker lost confidence there, or null. */
  stoppedAt: number | null;
  reason: 'human-key' | 'track-end' | 'confidence' | 'left-view' | 'video-end' | 'limit';
  confidence: number;
}

export interface EncoderState {
  models: ModelEntry[];
  modelId: string;
  choice: ProviderChoice;
  /** The provider of the loaded session (null until one is loaded). */
  provider: Provider | null;
  reason: string | null;
  threads: number;
  busy: 'load' | 'embed' | 'retrack' | null;
  progress: EncoderProgress | null;
  error: string | null;
  /** Frames of the open video with an embedding for the current model. */
  embedded: number;
  /** Frames the last embedding run computed (the rest came from the cache). */
  computed: number;
  /** Median inference time per frame in the last run, ms. */
  msPerFrame: number | null;
  boundaries: number[];
  /** Cumulative scene position per frame (video px; frame 0 = 0), from the camera estimate. */
  camera: { x: Float32Array; y: Float32Array } | null;
  sceneRelative: boolean;
  lastRetrack: RetrackOutcome | null;
}

export const initialEncoderState: EncoderState = {
  models: [],
  modelId: DEFAULT_MODEL,
  choice: 'auto',
  provider: null,
  reason: null,
  threads: 0,
  busy: null,
  progress: null,
  error: null,
  embedded: 0,
  computed: 0,
  msPerFrame: null,
  boundaries: [],
  camera: null,
  sceneRelative: false,
  lastRetrack: null,
};

export const encoderStore = createStore<EncoderState>()(() => initialEncoderState);
