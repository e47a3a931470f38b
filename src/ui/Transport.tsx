import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { performAction } from '../store/actionRegistry';
import { studio, type Layers } from '../store/studioStore';
import { FrameBox } from './FrameBox';
import { setRate } from '../store/player';

const LAYER_LABELS: Array<[keyof Layers, string]> = [
  ['boxes', 'Boxes'],
  ['labels', 'Labels'],
  ['arrows', 'Arrows'],
  ['trails', 'Trails'],
];

/** Time readout for the shown frame, from the container's own timestamps. */
function TimeReadout() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const show = () => {
      const s = studio.getState();
      const ts = s.video?.timestamps;
      if (!ref.current || !ts || !ts.length) return;
      const t = (ts[s.frame] ?? 0) - (ts[0] ?? 0);
      const dur = (ts[ts.length - 1] ?? 0) - (ts[0] ?? 0);
      ref.current.textContent = `${t.toFixed(3)} s / ${dur.toFixed(2)} s`;
    };
    show();
    return studio.subscribe((s, p) => {
      if (s.frame !== p.frame || s.video !== p.video) show();
    });
  }, []);
  return <span ref={ref} className="time" aria-label="Time" />;
}

export function Transport({ focusStage }: { focusStage: () => void }) {
  const playing = useStore(studio, (s) => s.playing);
  const rate = useStore(studio, (s) => s.rate);
  const layers = useStore(studio, (s) => s.layers);
  const video = useStore(studio, (s) => s.video);
  const act = (id: string) => () => {
    void performAction(id);
    focusStage();
  };
  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button onClick={act('frame.back10')} title="10 frames back (C)">
        «10
      </button>
      <button onClick={act('frame.prev')} title="Previous frame (D, Alt+←)">
        ‹
      </button>
      <button onClick={act('playback.toggle')} title="Play / pause (Space)" aria-label={playing ? 'Pause' : 'Play'} className="play">
        {playing ? '❚❚' : '▶'}
      </button>
      <button onClick={act('frame.next')} title="Next frame (F, Alt+→)">
        ›
      </button>
      <button onClick={act('frame.forward10')} title="10 frames forward (V)">
        10»
      </button>
      <label className="frame-label">
        Frame <FrameBox onDone={focusStage} /> / {video ? video.frameCount - 1 : 0}
      </label>
      <TimeReadout />
      <label>
        Speed{' '}
        <select
          aria-label="Speed"
          value={rate}
          onChange={(e) => {
            setRate(Number(e.target.value));
            focusStage();
          }}
        >
          {[0.125, 0.25, 0.5, 1, 1.5, 2, 4].map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
      </label>
      <span className="layers" role="group" aria-label="Layers">
        {LAYER_LABELS.map(([k, label]) => (
          <label key={k}>
            <input type="checkbox" checked={layers[k]} onChange={act(`view.layer.${k}`)} /> {label}
          </label>
        ))}
      </span>
      {video && (
        <span className="video-facts">
          {video.width}×{video.height} · {video.codec} · {video.vfr ? 'variable' : `${video.fps.toFixed(2)} fps`}
        </span>
      )}
    </div>
  );
}
