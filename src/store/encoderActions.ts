import { proposeSpans } from '../encoder/boundaries';
import { visibleRanges } from '../model/keyframes';
import { addSpan } from '../model/spanEdits';
import { EditError } from '../model/trackEdits';
import { MIN_SPAN_SECONDS } from '../model/videoFlags';
import type { Annotation } from '../model/types';
import type { ProviderChoice } from '../encoder/provider';
import { registerActions, type Action } from './actionRegistry';
import { cancelJob, embedVideo, refreshModels, retrack, setChoice, setModel } from './encoderSession';
import { encoderStore } from './encoderStore';
import { edit } from './spanActions';
import { repaintOverlay, seek } from './player';
import { shownKeys } from './shownKeys';
import { studio } from './studioStore';

/** The encoder's commands, in the one registry (keys, the `?` sheet, buttons, studio.perform). */

const hasVideo = () => studio.getState().annotation !== null && studio.getState().video !== null;

function notice(text: string | null): void {
  studio.setState({ notice: text });
}

function explain(label: string, e: unknown): null {
  if (e instanceof DOMException && e.name === 'AbortError') notice(`${label}: cancelled`);
  else notice(`${label}: ${e instanceof Error ? e.message : String(e)}`);
  return null;
}

function selectedTrackId(args?: { trackId?: string }): string | null {
  const id = args?.trackId ?? studio.getState().selectedTrackId;
  if (!id || !studio.getState().annotation?.tracks.some((t) => t.id === id)) {
    notice('Select an instance first (click its box or its row, or Tab).');
    return null;
  }
  return id;
}

function retrackAction(dir: 1 | -1) {
  return async (args?: { trackId?: string; frame?: number; minConfidence?: number; maxFrames?: number }) => {
    const trackId = selectedTrackId(args);
    if (!trackId) return null;
    const frame = args?.frame ?? studio.getState().frame;
    const label = dir > 0 ? 'Re-track forward' : 'Re-track backward';
    try {
      const r = await retrack({ trackId, frame, dir, ...(args?.minConfidence !== undefined ? { minConfidence: args.minConfidence } : {}), ...(args?.maxFrames !== undefined ? { maxFrames: args.maxFrames } : {}) });
      const why =
        r.reason === 'confidence'
          ? `stopped before frame ${r.stoppedAt}: the match fell to ${r.confidence.toFixed(2)}`
          : r.reason === 'left-view'
            ? `stopped before frame ${r.stoppedAt}: the instance leaves the picture`
            : r.reason === 'limit'
              ? 'as far as asked'
              : r.reason === 'human-key'
            ? 'up to the next keyframe of a person'
            : r.reason === 'track-end'
              ? 'to the end of the track'
              : 'to the end of the video';
      notice(`${label} #${trackId}: frames ${Math.min(r.from, r.to)}–${Math.max(r.from, r.to)}, ${why}. Ctrl+Z undoes it.`);
      return r;
    } catch (e) {
      return explain(label, e);
    }
  };
}

/** Spans for an instance's visible stretches, cut at the suggested boundaries, where it has none. */
function proposeFor(a: Annotation, trackId: string, fps: number): Annotation {
  const t = a.tracks.find((x) => x.id === trackId);
  if (!t) throw new EditError(`no instance "${trackId}"`);
  const n = a.video.frameCount;
  const minLength = Math.max(2, Math.round(MIN_SPAN_SECONDS * fps));
  const pieces = proposeSpans(visibleRanges(shownKeys(t), n), encoderStore.getState().boundaries, minLength);
  const own = a.spans.filter((s) => s.trackId === trackId);
  let out = a;
  for (const [s, e] of pieces) {
    if (own.some((o) => o.start <= e && s <= o.end)) continue;
    out = addSpan(out, trackId, s, e, '');
  }
  if (out === a) throw new EditError(`#${trackId} already has spans over every proposed stretch`);
  return out;
}

function jumpBoundary(dir: 1 | -1): Promise<number> | false {
  const f = studio.getState().frame;
  const b = encoderStore.getState().boundaries;
  const target = dir > 0 ? b.find((x) => x > f) : [...b].reverse().find((x) => x < f);
  if (target === undefined) {
    notice(b.length ? `No ${dir > 0 ? 'later' : 'earlier'} boundary.` : 'No boundaries yet: embed the video first (Shift+E).');
    return false;
  }
  return seek(target);
}

export const encoderActions: Action[] = [
  {
    id: 'encoder.embed',
    label: 'Embed every frame with the encoder (boundaries, camera motion)',
    keys: ['Shift+E'],
    group: 'Encoder',
    enabled: hasVideo,
    perform: async () => {
      try {
        const r = await embedVideo();
        const b = encoderStore.getState().boundaries.length;
        notice(`Embedded ${r.embedded} frames (${r.computed} computed, the rest from the cache); ${b} suggested boundar${b === 1 ? 'y' : 'ies'}.`);
        return r;
      } catch (e) {
        return explain('Embed', e);
      }
    },
  },
  {
    id: 'encoder.cancel',
    label: 'Cancel the encoder’s work',
    keys: ['Shift+Escape'],
    group: 'Encoder',
    perform: () => cancelJob(),
  },
  { id: 'track.retrack', label: 'Re-track forward from here (encoder)', keys: ['T'], group: 'Encoder', enabled: hasVideo, perform: retrackAction(1) },
  { id: 'track.retrackBack', label: 'Re-track backward from here (encoder)', keys: ['Shift+T'], group: 'Encoder', enabled: hasVideo, perform: retrackAction(-1) },
  {
    id: 'span.propose',
    label: 'Propose spans for the instance, cut at boundaries',
    keys: ['Shift+P'],
    group: 'Encoder',
    enabled: hasVideo,
    perform: (args?: { trackId?: string }) => {
      const trackId = selectedTrackId(args);
      if (!trackId) return false;
      const fps = studio.getState().video?.fps ?? 30;
      return edit('Propose spans', (a) => proposeFor(a, trackId, fps));
    },
  },
  { id: 'boundary.next', label: 'Next suggested boundary', keys: ['>'], group: 'Encoder', enabled: hasVideo, perform: () => jumpBoundary(1) },
  { id: 'boundary.prev', label: 'Previous suggested boundary', keys: ['<'], group: 'Encoder', enabled: hasVideo, perform: () => jumpBoundary(-1) },
  {
    id: 'view.sceneRelative',
    label: 'Motion arrows relative to the scene (camera motion removed)',
    keys: ['5'],
    group: 'View',
    perform: (args?: { on?: boolean }) => {
      const on = args?.on ?? !encoderStore.getState().sceneRelative;
      encoderStore.setState({ sceneRelative: on });
      if (on && !encoderStore.getState().camera) notice('No camera estimate yet: embed the video (Shift+E) with a model that has a feature map.');
      repaintOverlay();
      return on;
    },
  },
  {
    id: 'encoder.provider',
    label: 'Choose the execution provider (auto, wasm, webgpu)',
    group: 'Encoder',
    perform: async (args?: { choice?: ProviderChoice } | ProviderChoice) => {
      const choice = typeof args === 'string' ? args : (args?.choice ?? 'auto');
      if (!['auto', 'wasm', 'webgpu'].includes(choice)) throw new Error(`unknown provider "${String(choice)}" (auto, wasm or webgpu)`);
      await setChoice(choice);
      return encoderStore.getState().provider;
    },
  },
  {
    id: 'encoder.model',
    label: 'Choose the encoder model',
    group: 'Encoder',
    perform: async (args?: { id?: string } | string) => {
      const id = typeof args === 'string' ? args : args?.id;
      if (!id) throw new Error('encoder.model needs a model id');
      if (!encoderStore.getState().models.some((m) => m.manifest.id === id)) await refreshModels();
      if (!encoderStore.getState().models.some((m) => m.manifest.id === id)) throw new Error(`no encoder model "${id}"; see the Encoder menu`);
      await setModel(id);
      return id;
    },
  },
];

export function registerEncoderActions(): void {
  registerActions(encoderActions);
}
