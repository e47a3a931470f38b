import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Layer, Shape, Stage } from 'react-konva';
import type Konva from 'konva';
import { useStore } from 'zustand';
import { studio } from '../store/studioStore';
import { repaintOverlay, setOverlayPainter, setPicturePainter } from '../store/player';
import { fitRect, type Fit } from './fit';
import { paintOverlay } from './overlayPainter';
import { drawFrame } from '../video/frameClock';

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

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host || !video) return;
    const measure = () => setFit(fitRect(video.width, video.height, host.clientWidth, host.clientHeight));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(host);
    return () => ro.disconnect();
  }, [video]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d', { willReadFrequently: false });
    if (!ctx) return;
    const rotation = video?.rotation ?? 0;
    setPicturePainter((frame) => drawFrame(ctx, frame, rotation));
    return () => setPicturePainter(null);
  }, [video]);

  useEffect(() => {
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
        if (s.layers !== p.layers || s.selectedTrackId !== p.selectedTrackId || s.annotation !== p.annotation) repaintOverlay();
      }),
    [],
  );
  useEffect(() => repaintOverlay(), [fit]);

  const sceneFunc = (kctx: Konva.Context) => {
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
    });
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
          <div data-testid="overlay" className="overlay" style={{ position: 'absolute', left: fit.x, top: fit.y, width: fit.width, height: fit.height }}>
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
