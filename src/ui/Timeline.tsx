import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from 'zustand';
import type { Span, Track } from '../model/types';
import { keyCount } from '../model/keyframes';
import { snapFrame, spanSnapFrames } from '../model/spanEdits';
import { defaultReach, effectiveKeys } from '../model/corrections';
import { performAction } from '../store/actionRegistry';
import { seek } from '../store/player';
import { studio } from '../store/studioStore';
import { encoderStore } from '../store/encoderStore';
import { zoomTimeline } from '../store/navigationActions';
import { trackColor } from './colors';
import { frameToX, xToFrame, type LaneView } from './laneGeometry';
import { paintLane, SPAN_STRIP } from './lanePainter';

const ROW_H = 33;
const EDGE_PX = 5;

interface SpanDraft {
  trackId: string;
  /** Null for a new span. */
  spanId: string | null;
  start: number;
  end: number;
}
const DRAFT_SPAN: Span = { id: 'draft', trackId: '', start: 0, end: 0, caption: '', captionSource: 'human', modelCaption: '' };

const LABEL_W = 210;

const Lane = memo(function Lane({
  track,
  spans,
  view,
  frameCount,
  reach,
  selectedSpanId,
  draft,
  fps,
}: {
  track: Track;
  spans: Span[];
  view: LaneView;
  frameCount: number;
  reach: number;
  selectedSpanId: string | null;
  /** A span being dragged: drawn instead of the stored one (or as a new one). */
  draft: SpanDraft | null;
  fps: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const c = ref.current;
    if (!c || view.width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(view.width * dpr);
    c.height = Math.round(ROW_H * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const shown = draft ? [...spans.filter((x) => x.id !== draft.spanId), { ...DRAFT_SPAN, id: draft.spanId ?? 'draft', trackId: track.id, start: draft.start, end: draft.end }] : spans;
    paintLane(ctx, track.id, effectiveKeys(track, { reach }), shown, view, frameCount, ROW_H, draft ? (draft.spanId ?? 'draft') : selectedSpanId, fps);
  }, [track, spans, view, frameCount, reach, selectedSpanId, draft, fps]);
  return <canvas ref={ref} className="lane" style={{ width: view.width, height: ROW_H }} />;
});

function Ruler({ view, frameCount, fps, boundaries }: { view: LaneView; frameCount: number; fps: number; boundaries: readonly number[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const c = ref.current;
    if (!c || view.width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(view.width * dpr);
    c.height = Math.round(20 * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, view.width, 20);
    const span = view.end - view.start;
    const target = span / (view.width / 80);
    const steps = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000];
    const step = steps.find((s) => s >= target) ?? Math.ceil(target);
    ctx.fillStyle = '#aab';
    ctx.font = '10px system-ui, sans-serif';
    for (let f = Math.ceil(view.start / step) * step; f < view.end; f += step) {
      const x = frameToX(view, f);
      ctx.fillRect(Math.round(x), 12, 1, 8);
      ctx.fillText(String(f), x + 2, 10);
    }
    // Suggested event boundaries (from the encoder): a cyan notch where a new event starts.
    ctx.fillStyle = '#5ad1ff';
    for (const b of boundaries) {
      if (b < view.start || b >= view.end) continue;
      const x = Math.round(frameToX(view, b));
      ctx.beginPath();
      ctx.moveTo(x - 4, 0);
      ctx.lineTo(x + 4, 0);
      ctx.lineTo(x, 7);
      ctx.fill();
      ctx.fillRect(x, 7, 1, 13);
    }
    void frameCount;
    void fps;
  }, [view, frameCount, fps, boundaries]);
  return <canvas ref={ref} className="ruler" data-view={`${view.start}-${view.end}`} data-boundaries={boundaries.join(',')} style={{ width: view.width, height: 20 }} />;
}

/** One lane per instance (virtualized), a ruler and the frame cursor; click or drag to seek. */
export function Timeline() {
  const annotation = useStore(studio, (s) => s.annotation);
  const video = useStore(studio, (s) => s.video);
  const tv = useStore(studio, (s) => s.timelineView);
  const selected = useStore(studio, (s) => s.selectedTrackId);
  const paired = useStore(studio, (s) => s.pairTrackId);
  const selectedSpanId = useStore(studio, (s) => s.selectedSpanId);
  const boundaries = useStore(encoderStore, (e) => e.boundaries);
  const [draft, setDraft] = useState<SpanDraft | null>(null);
  const spanDrag = useRef<{ pointerId: number; mode: 'start' | 'end' | 'move' | 'new'; origin: number; span: SpanDraft; moved: boolean } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const cursorRef = useRef<HTMLDivElement>(null);
  const [laneW, setLaneW] = useState(0);
  const tracks = useMemo(() => annotation?.tracks ?? [], [annotation]);
  const spansByTrack = useMemo(() => {
    const m = new Map<string, Span[]>();
    for (const sp of annotation?.spans ?? []) {
      const l = m.get(sp.trackId) ?? [];
      l.push(sp);
      m.set(sp.trackId, l);
    }
    return m;
  }, [annotation]);
  const frameCount = video?.frameCount ?? 1;
  const hasVideo = video != null;
  const view = useMemo<LaneView>(() => ({ start: tv.start, end: Math.min(tv.end, frameCount), width: laneW }), [tv, laneW, frameCount]);
  const viewRef = useRef(view);
  viewRef.current = view;

  useLayoutEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    const measure = () => setLaneW(Math.max(0, el.clientWidth - LABEL_W));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
    // The section only mounts once a video is shown: measure then, not at the first render.
  }, [hasVideo]);

  // The cursor follows the frame without re-rendering the lanes.
  useEffect(() => {
    const place = () => {
      const el = cursorRef.current;
      if (!el) return;
      const v = viewRef.current;
      const f = studio.getState().frame;
      const x = frameToX(v, f + 0.5);
      el.style.display = f >= v.start && f < v.end ? 'block' : 'none';
      el.style.transform = `translateX(${LABEL_W + x}px)`;
    };
    place();
    return studio.subscribe((s, p) => {
      if (s.frame !== p.frame || s.timelineView !== p.timelineView) place();
    });
  }, [laneW]);

  const virtual = useVirtualizer({
    count: tracks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 10,
  });

  const dragging = useRef(false);
  const seekAt = (clientX: number) => {
    const el = areaRef.current;
    if (!el) return;
    const x = clientX - el.getBoundingClientRect().left - LABEL_W;
    const f = Math.max(0, Math.min(frameCount - 1, xToFrame(viewRef.current, x)));
    void seek(f).catch(() => undefined);
  };
  const pointer = {
    onPointerDown: (e: React.PointerEvent) => {
      if ((e.target as HTMLElement).closest('.lane-label')) return;
      dragging.current = true;
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      seekAt(e.clientX);
    },
    onPointerMove: (e: React.PointerEvent) => {
      if (dragging.current) seekAt(e.clientX);
    },
    onPointerUp: () => {
      dragging.current = false;
    },
  };

  // Spans on a lane: grab an edge to resize, the middle to move, Shift+drag anywhere to make one.
  const frameAtX = (clientX: number) => {
    const el = areaRef.current!;
    const x = clientX - el.getBoundingClientRect().left - LABEL_W;
    return Math.max(0, Math.min(frameCount - 1, xToFrame(viewRef.current, x)));
  };
  const onLaneDown = (e: React.PointerEvent, t: Track) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('.lane-label')) return;
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const y = e.clientY - rect.top;
    const f = frameAtX(e.clientX);
    const pxPerFrame = viewRef.current.width / Math.max(1, viewRef.current.end - viewRef.current.start);
    const tol = Math.max(1, Math.round(EDGE_PX / pxPerFrame));
    const spans = spansByTrack.get(t.id) ?? [];
    const inStrip = y >= SPAN_STRIP.top - 2;
    let mode: 'start' | 'end' | 'move' | 'new' | null = null;
    let hit: Span | undefined;
    if (e.shiftKey) mode = 'new';
    else if (inStrip) {
      hit = spans.find((x) => Math.abs(f - x.start) <= tol) ?? spans.find((x) => Math.abs(f - x.end) <= tol) ?? spans.find((x) => f >= x.start && f <= x.end);
      if (hit) mode = Math.abs(f - hit.start) <= tol ? 'start' : Math.abs(f - hit.end) <= tol ? 'end' : 'move';
    }
    if (!mode) return; // the timeline's own handler seeks
    e.stopPropagation();
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    if (hit) void performAction('span.select', { spanId: hit.id });
    else void performAction('track.select', { trackId: t.id });
    const span: SpanDraft = hit ? { trackId: t.id, spanId: hit.id, start: hit.start, end: hit.end } : { trackId: t.id, spanId: null, start: f, end: f };
    spanDrag.current = { pointerId: e.pointerId, mode, origin: f, span, moved: false };
  };
  const onLaneMove = (e: React.PointerEvent, t: Track) => {
    const d = spanDrag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    e.stopPropagation();
    const f = frameAtX(e.clientX);
    const pxPerFrame = viewRef.current.width / Math.max(1, viewRef.current.end - viewRef.current.start);
    const snap = (x: number) => snapFrame(x, spanSnapFrames(effectiveKeys(t, { reach: defaultReach(video?.fps ?? 30) }), frameCount, encoderStore.getState().boundaries), Math.round(6 / pxPerFrame));
    const s = d.span;
    let next: SpanDraft;
    if (d.mode === 'start') next = { ...s, start: Math.min(snap(f), s.end) };
    else if (d.mode === 'end') next = { ...s, end: Math.max(snap(f), s.start) };
    else if (d.mode === 'new') next = { ...s, start: Math.min(d.origin, snap(f)), end: Math.max(d.origin, snap(f)) };
    else {
      const by = f - d.origin;
      next = { ...s, start: s.start + by, end: s.end + by };
    }
    d.moved = d.moved || next.start !== s.start || next.end !== s.end;
    setDraft(next);
  };
  const onLaneUp = (e: React.PointerEvent) => {
    const d = spanDrag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    e.stopPropagation();
    spanDrag.current = null;
    const fin = draft;
    setDraft(null);
    // A click on a span (no drag) selects it and, like anywhere on the timeline, seeks there.
    if (!d.moved && d.mode !== 'new') void seek(d.origin).catch(() => undefined);
    if (!d.moved || !fin) return;
    if (d.mode === 'new') void performAction('span.markOut', { trackId: fin.trackId, start: fin.start, end: fin.end });
    else if (d.mode === 'move') void performAction('span.move', { spanId: fin.spanId, by: fin.start - d.span.start });
    else void performAction('span.setRange', { spanId: fin.spanId, start: fin.start, end: fin.end });
  };

  const onWheel = (e: React.WheelEvent) => {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      zoomTimeline(e.deltaY > 0 ? 1.25 : 0.8);
    } else if (e.shiftKey) {
      const v = studio.getState().timelineView;
      const w = v.end - v.start;
      const d = Math.round((e.deltaY || e.deltaX) / 100 * w * 0.1) || Math.sign(e.deltaY || e.deltaX);
      const start = Math.max(0, Math.min(frameCount - w, v.start + d));
      studio.setState({ timelineView: { start, end: start + w } });
    }
  };

  if (!video) return null;
  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-head" ref={areaRef} {...pointer}>
        <div className="lane-label head-label" style={{ width: LABEL_W }}>
          {tracks.length} instance{tracks.length === 1 ? '' : 's'}
          <span className="zoom">
            <button title="Zoom out (-)" onClick={() => zoomTimeline(2)}>
              −
            </button>
            <button title="Zoom in (=)" onClick={() => zoomTimeline(0.5)}>
              +
            </button>
          </span>
        </div>
        <Ruler view={view} frameCount={frameCount} fps={video.fps} boundaries={boundaries} />
      </div>
      <div className="timeline-body" ref={scrollRef} onWheel={onWheel} {...pointer} data-testid="timeline">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((row) => {
            const t = tracks[row.index]!;
            return (
              <div
                key={t.id}
                className={`lane-row${t.id === selected ? ' selected' : ''}${t.id === paired ? ' paired' : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW_H }}
                data-track={t.id}
                onPointerDown={(e) => onLaneDown(e, t)}
                onPointerMove={(e) => onLaneMove(e, t)}
                onPointerUp={onLaneUp}
                onPointerCancel={onLaneUp}
              >
                <div
                  className="lane-label"
                  style={{ width: LABEL_W }}
                  onClick={(e) =>
                    void performAction('track.select', e.ctrlKey || e.metaKey ? { trackId: t.id, pair: true } : { trackId: t.id === selected ? null : t.id })
                  }
                  title={`${t.category} #${t.id} · ${keyCount(t.keys)} model keyframes, ${t.human ? keyCount(t.human) : 0} people's · corrections ${t.interpolation ?? 'fade'}${t.score != null ? ` · score ${t.score.toFixed(2)}` : ''}\nClick: select · Ctrl+click: second instance for merge/swap`}
                >
                  <span className="swatch" style={{ background: trackColor(t.id) }} />
                  <span className="cat">{t.category}</span> <span className="tid">#{t.id}</span>
                  {t.score != null && <span className="score">{t.score.toFixed(2)}</span>}
                </div>
                <Lane
                  track={t}
                  spans={spansByTrack.get(t.id) ?? NO_SPANS}
                  view={view}
                  frameCount={frameCount}
                  reach={defaultReach(video.fps)}
                  selectedSpanId={selectedSpanId && spansByTrack.get(t.id)?.some((x) => x.id === selectedSpanId) ? selectedSpanId : null}
                  draft={draft && draft.trackId === t.id ? draft : null}
                  fps={video.fps}
                />
              </div>
            );
          })}
        </div>
      </div>
      <div className="cursor" ref={cursorRef} />
    </section>
  );
}

const NO_SPANS: Span[] = [];
