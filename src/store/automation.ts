import { boxAt, keyBytes } from '../model/keyframes';
import { listActions, performAction } from './actionRegistry';
import { overlayPaintTimes, seek } from './player';
import { whenOpened } from './session';
import { studio } from './studioStore';
import { saved } from './history';
import { flush } from './persistence';
import { shownKeys } from './shownKeys';
import { currentFlags } from './spanActions';
import { encoderStore } from './encoderStore';
import { encodeFrame } from './encoderSession';
import { currentQa, qaStatus, reviewStore } from './reviewActions';
import { filteredItems, queueStore } from './reviewQueue';
import { exportStore } from './exportSession';

/**
 * `window.studio` (DESIGN §8): a thin façade over the store for scripts, tests and benchmarks.
 * It uses the same code paths as the UI; keep its shape stable.
 */
export function snapshot() {
  const s = studio.getState();
  const a = s.annotation;
  const frame = s.frame;
  return {
    view: s.open ? 'video' : 'dataset',
    datasetUrl: s.dataset?.url ?? null,
    videoId: s.open?.id ?? null,
    frame,
    overlayFrame: s.overlayFrame,
    frameCount: s.video?.frameCount ?? 0,
    fps: s.video?.fps ?? 0,
    timestamps: s.video ? Array.from(s.video.timestamps) : [],
    playing: s.playing,
    rate: s.rate,
    status: s.open ? (s.statuses[s.open.id] ?? s.open.status ?? 'todo') : null,
    error: s.videoError ?? s.datasetError,
    selectedTrackId: s.selectedTrackId,
    tracks: (a?.tracks ?? []).map((t) => {
      const st = boxAt(shownKeys(t), frame);
      return {
        id: t.id,
        category: t.category,
        source: st?.source ?? t.provenance,
        box: st ? st.box.map((v) => Math.round(v * 1000) / 1000) : null,
        outside: !st,
        occluded: st?.occluded ?? false,
      };
    }),
    spans: (a?.spans ?? []).map((sp) => ({
      id: sp.id,
      trackId: sp.trackId,
      start: sp.start,
      end: sp.end,
      caption: sp.caption,
      captionSource: sp.captionSource,
      modelCaption: sp.modelCaption,
    })),
    flags: currentFlags().map((f) => ({ id: f.id, kind: f.kind, spanId: f.spanId, trackId: f.trackId, message: f.message, dismissed: f.dismissed })),
    selectedSpanId: s.selectedSpanId,
    loop: s.loop,
    notice: s.notice,
    boundaries: encoderStore.getState().boundaries.slice(),
    qa: currentQa().map((q) => ({ id: q.id, task: q.task, spanId: q.spanId, status: qaStatus(q, a) })),
    selectedQaId: reviewStore.getState().selectedQaId,
    page: s.page,
    queue: queueSnapshot(),
    export: exportSnapshot(),
    encoder: encoderSnapshot(),
  };
}

function queueSnapshot() {
  const q = queueStore.getState();
  const shown = filteredItems(q);
  return {
    active: q.active,
    loading: q.loading !== null,
    total: q.items.length,
    shown: shown.length,
    pending: shown.filter((i) => i.status === 'pending').length,
    filters: { ...q.filters },
    current: q.current ? { ...q.current } : null,
    reviewer: q.reviewer,
  };
}

function exportSnapshot() {
  const e = exportStore.getState();
  return { running: e.running, progress: e.progress ? { ...e.progress } : null, written: e.report?.written ?? null, skipped: e.report?.skipped.length ?? null, error: e.error };
}

function encoderSnapshot() {
  const e = encoderStore.getState();
  return {
    model: e.modelId,
    provider: e.provider,
    reason: e.reason,
    threads: e.threads,
    progress: e.progress ? { ...e.progress } : null,
    busy: e.busy,
    embedded: e.embedded,
    computed: e.computed,
    msPerFrame: e.msPerFrame,
    error: e.error,
    sceneRelative: e.sceneRelative,
    camera: e.camera !== null,
    lastRetrack: e.lastRetrack ? { ...e.lastRetrack } : null,
  };
}

export function installAutomation(): void {
  const api = {
    seek: async (frame: number) => {
      await whenOpened();
      return seek(frame);
    },
    state: snapshot,
    actions: () => listActions().map((a) => ({ id: a.id, label: a.label, shortcut: a.keys?.[0] ?? null })),
    perform: (id: string, args?: unknown) => performAction(id, args),
    /** Resolves once every edit and every pending write is on disk: what a script awaits before it closes or reloads. */
    saved: async () => {
      await saved();
      await flush();
    },
    /** Not part of the §8 contract: timings for `npm run bench`. */
    metrics: () => ({
      overlayPaintMs: overlayPaintTimes(),
      storeBytes: (studio.getState().annotation?.tracks ?? []).reduce((n, t) => n + keyBytes(t.keys) + (t.human ? keyBytes(t.human) : 0), 0),
      /** The box a track shows at every frame (null where hidden), without seeking: for the oracle benchmark. */
      trackBoxes: (trackId: string) => {
        const s = studio.getState();
        const t = s.annotation?.tracks.find((x) => x.id === trackId);
        const n = s.video?.frameCount ?? 0;
        if (!t) return null;
        const keys = shownKeys(t);
        return Array.from({ length: n }, (_, f) => boxAt(keys, f)?.box ?? null);
      },
      trackIds: () => (studio.getState().annotation?.tracks ?? []).map((t) => t.id),
      /** One frame through the encoder: embedding (and feature map), for parity checks and benchmarks. */
      encodeFrame: (frame: number, opts?: { features?: boolean }) => encodeFrame(frame, opts),
      /** The camera path (scene position per frame), or null. */
      cameraPath: () => {
        const c = encoderStore.getState().camera;
        return c ? { x: Array.from(c.x), y: Array.from(c.y) } : null;
      },
    }),
  };
  (window as unknown as { studio: typeof api }).studio = api;
}
