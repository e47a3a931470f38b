/** Domain types (DESIGN §4). Frame index (0-based) is the unit of truth; boxes are [x1,y1,x2,y2] in video pixels. */

export type Box = [number, number, number, number];
export type KeySource = 'model' | 'human' | 'assisted';
export type Provenance = 'model' | 'human';
export type VideoStatus = 'todo' | 'in_progress' | 'submitted' | 'approved' | 'returned';

export interface VideoMeta {
  id: string;
  src: string;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
}

export interface Tag {
  category: string;
  score?: number;
}

/**
 * Keyframes of one track as parallel typed arrays, sorted by frame: 200 tracks × 10,000 dense
 * frames stay ~50 MB and boxAt is a binary search, not an object walk.
 */
export interface KeyframeTable {
  readonly frames: Int32Array;
  /** 4 floats per keyframe: x1, y1, x2, y2. */
  readonly boxes: Float32Array;
  /** Bit flags per keyframe: see KEY_FLAG_*. */
  readonly flags: Uint8Array;
  /** NaN where the keyframe has no score. */
  readonly scores: Float32Array;
}

export interface Keyframe {
  frame: number;
  box: Box;
  outside: boolean;
  occluded: boolean;
  source: KeySource;
  score?: number;
}

/**
 * How a track's model boxes meet people's corrections: `fade` carries each correction to the
 * neighbouring frames with a fading delta; `linear` is CVAT's plain interpolation between keyframes.
 */
export type Interpolation = 'fade' | 'linear';

export interface Track {
  id: string;
  category: string;
  provenance: Provenance;
  score?: number;
  /** The pipeline's keyframes (and `assisted` ones): what corrections are applied to. */
  keys: KeyframeTable;
  /** People's keyframes (source `human`). Absent = none. */
  human?: KeyframeTable;
  /** Absent = `fade`. */
  interpolation?: Interpolation;
}

export interface Span {
  id: string;
  trackId: string;
  start: number;
  /** Inclusive. */
  end: number;
  caption: string;
  captionSource: Provenance;
  /** The model's original caption, kept for the diff. */
  modelCaption: string;
  captioner?: string;
}

/** Everything known about one video's annotation. */
export interface Annotation {
  video: VideoMeta;
  tags: Tag[];
  tracks: Track[];
  spans: Span[];
  /** True once a person has edited it: then it wins over freshly loaded proposals. */
  edited?: boolean;
  /** Dismissed flags: flag id → the reason given. */
  dismissed?: Record<string, string>;
  /** Reviewers' decisions on the QA pairs made from this annotation, by pair id. */
  reviews?: Record<string, QaReview>;
  /** The reviewer's last decision on the whole video, with the note the annotator sees. */
  videoReview?: VideoReview;
}

export interface VideoReview {
  status: 'approved' | 'returned';
  note?: string;
  reviewer?: string;
}

/**
 * A reviewer's decision on one QA pair. It holds for the fingerprint it was made on: once the span,
 * track or caption changes, the pair is pending again (the decision is kept, but stale).
 */
export interface QaReview {
  status: 'approved' | 'rejected';
  fingerprint: string;
  reason?: string;
  /** Which parts the reviewer rewrote. */
  edited?: Array<'question' | 'answer'>;
  question?: string;
  answer?: string;
  /** The renderings the edited text was written in (the queue's); absent means the defaults. */
  render?: { time: string; box: string; frames: number };
  /** Who decided (the name set in the review queue), for per-reviewer counts. */
  reviewer?: string;
}
