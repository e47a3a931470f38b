import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Layer, Shape, Stage } from 'react-konva';
import type Konva from 'konva';
import { useStore } from 'zustand';
import { studio } from '../store/studioStore';
import { repaintOverlay, setOverlayPainter, setPicturePainter } from '../store/player';
import { fitRect, type Fit } from './fit';
import { paintOverlay } from './overlayPainter';
import { sceneCamera } from '../store/sceneMotion';
import { drawFrame } from '../video/frameClock';
import { boxAt } from '../model/keyframes';
import type { Box } from '../model/types';
import { performAction } from '../store/actionRegistry';
import { shownKeys } from '../store/shownKeys';
import { cursorFor, dragBox, hitTest, type Grip } from './boxGeometry';

interface Drag {
  pointerId: number;
  trackId: string | null;
  grip: Grip;
  start: [number, number];
  box0: Box;
  box: Box;
  moved: boolean;
}

/**
 * The picture (a canvas at the video's natural size, fitted by CSS) and the overlay stage on top
 * of exactly the same rectangle. Both are painted from the player's frame callback, not by React.
 */
export function VideoStage() {
  const video = useStore(studio, (s) => s.video);
  const hostRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<Konva.Layer>(null);
  const [fit, setFit] = useState<Fit>({ x: 0, y: 0, scale: 1, width: 0, height: 0 });
  const fitRef = useRef(fit);
  fitRef.current = fit;
  const frameToDraw = useRef(0);
  const drag = useRef<Drag | null>(null);
  const drawing = useStore(studio, (s) => s.drawing);
  const [cursor, setCursor] = useState('default');

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host || !video) return;
    const measure = () => setFit(fitRect(video.width, video.height, host.clientWidth, host.clientHeight));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(host);
    return () => ro.disconnect();
  }, [video]);

  // Layout effects: the painters must be in place before the first decoded frame can arrive.
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d', { willReadFrequently: false });
    if (!ctx) return;
    const rotation = video?.rotation ?? 0;
    setPicturePainter((frame) => drawFrame(ctx, frame, rotation));
    return () => setPicturePainter(null);
  }, [video]);

  useLayoutEffect(() => {
    setOverlayPainter((index) => {
      frameToDraw.current = index;
      // Synchronous draw: the overlay must match the picture in this very task.
      layerRef.current?.draw();
    });
    return () => setOverlayPainter(null);
  }, []);

  // Things other than the frame that change the drawing.
  useEffect(
    () =>
      studio.subscribe((s, p) => {
        if (s.layers !== p.layers || s.selectedTrackId !== p.selectedTrackId || s.pairTrackId !== p.pairTrackId || s.annotation !== p.annotation) repaintOverlay();
      }),
    [],
  );
  useEffect(() => repaintOverlay(), [fit]);

  // Stable, so re-renders (cursor, fit) do not make react-konva redraw the layer again.
  const sceneFunc = useCallback((kctx: Konva.Context) => {
    const s = studio.getState();
    if (!s.annotation || !s.video) return;
    const ctx = kctx._context;
    paintOverlay(ctx, {
      tracks: s.annotation.tracks,
      frame: frameToDraw.current,
      fps: s.video.fps,
      layers: s.layers,
      selectedTrackId: s.selectedTrackId,
      scale: fitRef.current.scale,
      keysOf: shownKeys,
      pairTrackId: s.pairTrackId,
      preview: drag.current?.moved ? { trackId: drag.current.trackId, box: drag.current.box } : null,
      camera: sceneCamera(),
    });
  }, []);

  /** Pointer position in video pixels. */
  const toVideo = (e: React.PointerEvent): [number, number] => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const f = fitRef.current;
    return [(e.clientX - r.left) / f.scale, (e.clientY - r.top) / f.scale];
  };
  const shownBoxes = () => {
    const s = studio.getState();
    const out: Array<{ id: string; box: Box }> = [];
    for (const t of s.annotation?.tracks ?? []) {
      const st = boxAt(shownKeys(t), s.frame);
      if (st) out.push({ id: t.id, box: st.box });
    }
    return out;
  };
  const tolerance = () => 8 / fitRef.current.scale;

  // Select, move, resize, draw: the drag is previewed on the overlay and becomes one action on release.
  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const s = studio.getState();
    if (!s.annotation || s.overlayFrame !== s.frame) return;
    const [x, y] = toVideo(e);
    // Keys act on what was just clicked: give the focus to the stage, away from any input.
    ((e.currentTarget as HTMLElement).closest('[data-testid="stage"]') as HTMLElement | null)?.focus();
    if (s.drawing) {
      drag.current = { pointerId: e.pointerId, trackId: null, grip: 'se', start: [x, y], box0: [x, y, x, y], box: [x, y, x, y], moved: false };
    } else {
      const hit = hitTest(shownBoxes(), x, y, s.selectedTrackId, tolerance());
      if (e.ctrlKey || e.metaKey) {
        if (hit) void performAction('track.select', { trackId: hit.trackId, pair: true });
        return;
      }
      void performAction('track.select', { trackId: hit?.trackId ?? null });
      if (!hit || !s.layers.boxes) return;
      const box = shownBoxes().find((b) => b.id === hit.trackId)!.box;
      drag.current = { pointerId: e.pointerId, trackId: hit.trackId, grip: hit.grip, start: [x, y], box0: box, box, moved: false };
    }
    if (s.playing) void performAction('playback.toggle');
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    const [x, y] = toVideo(e);
    if (!d || d.pointerId !== e.pointerId) {
      const s = studio.getState();
      const hit = s.drawing ? null : hitTest(shownBoxes(), x, y, s.selectedTrackId, tolerance());
      setCursor(s.drawing ? 'crosshair' : cursorFor(hit && hit.trackId === s.selectedTrackId ? hit.grip : hit ? 'move' : null));
      return;
    }
    const dx = x - d.start[0];
    const dy = y - d.start[1];
    if (!d.moved && Math.hypot(dx, dy) * fitRef.current.scale < 3) return;
    d.moved = true;
    d.box = d.trackId === null ? [Math.min(d.start[0], x), Math.min(d.start[1], y), Math.max(d.start[0], x), Math.max(d.start[1], y)] : dragBox(d.box0, d.grip, dx, dy, e.shiftKey);
    layerRef.current?.draw();
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    if (!d.moved) {
      layerRef.current?.draw();
      return;
    }
    const [x1, y1, x2, y2] = d.box;
    if (d.trackId === null) {
      if ((x2 - x1) * fitRef.current.scale >= 4 && (y2 - y1) * fitRef.current.scale >= 4) void performAction('track.add', { box: d.box });
      else layerRef.current?.draw();
    } else void performAction('box.set', { trackId: d.trackId, box: d.box });
  };

  return (
    <div ref={hostRef} className="stage-host">
      {video && (
        <>
          <canvas
            ref={canvasRef}
            data-testid="video"
            width={video.width}
            height={video.height}
            style={{ position: 'absolute', left: fit.x, top: fit.y, width: fit.width, height: fit.height }}
          />
          <div
            data-testid="overlay"
            className="overlay"
            style={{ position: 'absolute', left: fit.x, top: fit.y, width: fit.width, height: fit.height, cursor: drawing ? 'crosshair' : cursor, touchAction: 'none' }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
          >
            <Stage width={Math.max(1, Math.round(fit.width))} height={Math.max(1, Math.round(fit.height))} scaleX={fit.scale} scaleY={fit.scale}>
              <Layer ref={layerRef} listening={false}>
                <Shape sceneFunc={sceneFunc} listening={false} perfectDrawEnabled={false} />
              </Layer>
            </Stage>
          </div>
        </>
      )}
    </div>
  );
}
