import { useEffect, useRef } from 'react';
import { studio } from '../store/studioStore';
import { seek } from '../store/player';

/**
 * The current frame (DESIGN §8): typing a number and Enter seeks there and hands the focus back
 * to the stage so shortcuts work at once. Updated imperatively so playback does not re-render React.
 */
export function FrameBox({ onDone }: { onDone: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = ref.current!;
    const show = (f: number) => {
      if (document.activeElement !== input) input.value = String(f);
    };
    show(studio.getState().frame);
    return studio.subscribe((s, p) => {
      if (s.frame !== p.frame) show(s.frame);
    });
  }, []);
  return (
    <input
      ref={ref}
      aria-label="Frame"
      className="frame-box"
      inputMode="numeric"
      defaultValue="0"
      onFocus={(e) => e.currentTarget.select()}
      onBlur={(e) => (e.currentTarget.value = String(studio.getState().frame))}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') {
          const n = Number(e.currentTarget.value.trim());
          if (e.currentTarget.value.trim() !== '' && Number.isFinite(n)) void seek(n);
          e.currentTarget.blur();
          onDone();
        } else if (e.key === 'Escape') {
          e.currentTarget.blur();
          onDone();
        }
      }}
    />
  );
}
