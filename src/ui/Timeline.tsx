import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from 'zustand';
import type { Span, Track } from '../model/types';
import { keyCount } from '../model/keyframes';
import { defaultReach, effectiveKeys } from '../model/corrections';
import { performAction } from '../store/actionRegistry';
import { seek } from '../store/player';
import { studio } from '../store/studioStore';
import { zoomTimeline } from '../store/navigationActions';
import { trackColor } from './colors';
import { frameToX, xToFrame, type LaneView } from './laneGeometry';
import { paintLane } from './lanePainter';

const ROW_H = 26;
const LABEL_W = 210;

const Lane = memo(function Lane({ track, spans, view, frameCount, reach }: { track: Track; spans: Span[]; view: LaneView; frameCount: number; reach: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const c = ref.current;
    if (!c || view.width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(view.width * dpr);
    c.height = Math.round(ROW_H * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintLane(ctx, track.id, effectiveKeys(track, { reach }), spans, view, frameCount, ROW_H);
  }, [track, spans, view, frameCount, reach]);
  return <canvas ref={ref} className="lane" style={{ width: view.width, height: ROW_H }} />;
});

function Ruler({ view, frameCount, fps }: { view: LaneView; frameCount: number; fps: number }) {
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
    void frameCount;
    void fps;
  }, [view, frameCount, fps]);
  return <canvas ref={ref} className="ruler" data-view={`${view.start}-${view.end}`} style={{ width: view.width, height: 20 }} />;
}

/** One lane per instance (virtualized), a ruler and the frame cursor; click or drag to seek. */
export function Timeline() {
  const annotation = useStore(studio, (s) => s.annotation);
  const video = useStore(studio, (s) => s.video);
  const tv = useStore(studio, (s) => s.timelineView);
  const selected = useStore(studio, (s) => s.selectedTrackId);
  const paired = useStore(studio, (s) => s.pairTrackId);
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
        <Ruler view={view} frameCount={frameCount} fps={video.fps} />
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
                <Lane track={t} spans={spansByTrack.get(t.id) ?? NO_SPANS} view={view} frameCount={frameCount} reach={defaultReach(video.fps)} />
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
