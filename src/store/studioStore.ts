import { createStore } from 'zustand/vanilla';
import type { Annotation, VideoStatus } from '../model/types';

export interface DatasetVideo {
  id: string;
  title?: string;
  /** Absolute URL of the video file. */
  src: string;
  /** Absolute URL of its proposals, if any. */
  proposals?: string;
  status?: VideoStatus;
  /** Local files opened from disk (kept in IndexedDB so a reload can reopen them). */
  file?: Blob;
  proposalsFile?: Blob;
  /** A MOT gt.txt's seqinfo.ini, opened with it. */
  seqinfoFile?: Blob;
  seqinfoName?: string;
}

export interface Dataset {
  /** Where it came from: a manifest URL, or a label for an ad-hoc single video. */
  url: string;
  name: string;
  videos: DatasetVideo[];
}

export interface VideoInfo {
  width: number;
  height: number;
  frameCount: number;
  fps: number;
  vfr: boolean;
  codec: string;
  rotation: 0 | 90 | 180 | 270;
  /** Presentation time of every frame, seconds. */
  timestamps: Float64Array;
}

export interface Layers {
  boxes: boolean;
  labels: boolean;
  arrows: boolean;
  trails: boolean;
}

export interface Progress {
  label: string;
  loaded: number;
  total: number;
}

export interface VideoCounts {
  tracks: number;
  spans: number;
}

/** The dataset-level pages (when no video is open). */
export type Page = 'videos' | 'review' | 'progress';

export interface StudioState {
  page: Page;
  dataset: Dataset | null;
  datasetError: string | null;
  datasetLoading: Progress | null;
  /** Status per video id (local-first; overrides the manifest's). */
  statuses: Record<string, VideoStatus>;
  counts: Record<string, VideoCounts>;
  /** The open video (dataset entry), or null on the dataset view. */
  open: DatasetVideo | null;
  annotation: Annotation | null;
  video: VideoInfo | null;
  videoError: string | null;
  videoWarning: string | null;
  loading: Progress | null;
  /** The frame on the picture. */
  frame: number;
  /** The frame the overlay last drew. */
  overlayFrame: number;
  playing: boolean;
  rate: number;
  layers: Layers;
  selectedTrackId: string | null;
  /** Visible window of the timeline, in frames (inclusive start, exclusive end). */
  timelineView: { start: number; end: number };
  helpOpen: boolean;
  storageError: string | null;
  /** Bumped on every edit, undo and redo (for UI that shows history). */
  historyVersion: number;
  /** A second instance chosen with Ctrl+click, for merge and swap. */
  pairTrackId: string | null;
  /** Drawing a new instance: the next drag on the picture makes its first box. */
  drawing: boolean;
  /** The last edit's outcome or refusal, shown briefly. */
  notice: string | null;
  /** Bumped to ask the selected span's caption box for the keyboard focus (the store has no DOM). */
  captionFocus: number;
  selectedSpanId: string | null;
  /** Mark-in frame of a span being made with the keyboard. */
  markIn: number | null;
  /** Playback loops over this range (inclusive) while set. */
  loop: { start: number; end: number } | null;
}

export const initialState: StudioState = {
  page: 'videos',
  dataset: null,
  datasetError: null,
  datasetLoading: null,
  statuses: {},
  counts: {},
  open: null,
  annotation: null,
  video: null,
  videoError: null,
  videoWarning: null,
  loading: null,
  frame: 0,
  overlayFrame: -1,
  playing: false,
  rate: 1,
  layers: { boxes: true, labels: true, arrows: true, trails: false },
  selectedTrackId: null,
  timelineView: { start: 0, end: 1 },
  helpOpen: false,
  storageError: null,
  historyVersion: 0,
  pairTrackId: null,
  drawing: false,
  notice: null,
  captionFocus: 0,
  selectedSpanId: null,
  markIn: null,
  loop: null,
};

export const studio = createStore<StudioState>()(() => initialState);
export type StudioStore = typeof studio;
