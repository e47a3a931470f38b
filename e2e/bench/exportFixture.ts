import { keyframesFromDense } from '../../src/model/keyframes';
import type { Annotation, Box, Span, Track } from '../../src/model/types';
import type { ExportInput, ReviewState } from '../../src/formats/exportImove';
import { spanFingerprint } from '../../src/tasks/generate';

/**
 * Inputs for the export benchmark (`export.records_per_s`, `export.peak_mb.100000`): `nVideos`
 * videos of 300 frames, each with the same 6 dense tracks and `spansPerVideo` captioned spans, every
 * pair approved. The defaults give 1,000 × 34 × 3 = 102,000 pairs. Tracks, spans and timestamps are
 * shared by all videos and fingerprints are computed once per span, so building the inputs costs
 * almost nothing next to the export being measured; videos are made one at a time, on demand, so
 * the inputs do not add to the peak either.
 */
const FRAMES = 300;
const FPS = 30;
const WIDTH = 1280;
const HEIGHT = 720;
const TRACKS = 6;
const SPAN_LEN = 60;
const CATEGORIES = ['dog', 'cat', 'person', 'car', 'bird', 'horse'];
const MOTIONS = ['runs to the right', 'walks left', 'turns around', 'moves toward the camera', 'stops and starts again', 'circles the centre'];

function trackBox(t: number, f: number): Box {
  const x = 100 + t * 150 + f * (t % 2 ? -0.8 : 0.8) + (t % 2 ? 240 : 0);
  const y = 120 + t * 60 + Math.sin(f / 20) * 10;
  return [x, y, x + 160, y + 120];
}

export interface ExportFixture {
  videos: number;
  pairs: number;
  inputs: () => Generator<ExportInput>;
}

export function syntheticExportInputs(nVideos = 1000, spansPerVideo = 34): ExportFixture {
  const timestamps = Float64Array.from({ length: FRAMES }, (_, f) => f / FPS);
  const tracks: Track[] = Array.from({ length: TRACKS }, (_, t) => ({
    id: String(t),
    category: CATEGORIES[t % CATEGORIES.length]!,
    provenance: 'model',
    keys: keyframesFromDense(0, Array.from({ length: FRAMES }, (_, f) => trackBox(t, f))),
  }));
  const spans: Span[] = Array.from({ length: spansPerVideo }, (_, s) => {
    const track = tracks[s % TRACKS]!;
    const start = (s * 37) % (FRAMES - SPAN_LEN);
    const caption = `The ${track.category} ${MOTIONS[s % MOTIONS.length]} (${s}).`;
    return { id: String(s), trackId: track.id, start, end: start + SPAN_LEN - 1, caption, captionSource: 'model', modelCaption: caption, captioner: 'InternVL2-40B' };
  });
  const fingerprints = spans.map((s) => spanFingerprint(s, tracks[Number(s.trackId)]!, tracks[Number(s.trackId)]!.keys));
  const keysOf = (t: Track) => t.keys;

  function* inputs(): Generator<ExportInput> {
    for (let v = 0; v < nVideos; v++) {
      const id = `bench${String(v).padStart(5, '0')}`;
      const annotation: Annotation = { video: { id, src: `videos/${id}.mp4`, width: WIDTH, height: HEIGHT, fps: FPS, frameCount: FRAMES }, tags: [], tracks, spans };
      const reviews: Record<string, ReviewState> = {};
      spans.forEach((s, i) => {
        const base = `${id}_i${s.trackId}_s${s.id}`;
        const review: ReviewState = { status: 'approved', fingerprint: fingerprints[i]! };
        reviews[`${base}_sg`] = review;
        reviews[`${base}_tg`] = review;
        reviews[`${base}_dc`] = review;
      });
      yield { annotation, keysOf, timestamps, duration: FRAMES / FPS, reviews };
    }
  }

  return { videos: nVideos, pairs: nVideos * spansPerVideo * 3, inputs };
}
