import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { performAction } from '../store/actionRegistry';
import { historyInfo } from '../store/history';
import { studio } from '../store/studioStore';
import { trackColor } from './colors';

function Act({ id, label, title, args }: { id: string; label: string; title: string; args?: unknown }) {
  return (
    <button type="button" title={title} onClick={() => void performAction(id, args)}>
      {label}
    </button>
  );
}

/** The selected instance's edits, undo/redo and the last notice, in one bar above the timeline. */
export function Inspector({ focusStage }: { focusStage: () => void }) {
  const annotation = useStore(studio, (s) => s.annotation);
  const selectedId = useStore(studio, (s) => s.selectedTrackId);
  const pairId = useStore(studio, (s) => s.pairTrackId);
  const notice = useStore(studio, (s) => s.notice);
  const drawing = useStore(studio, (s) => s.drawing);
  useStore(studio, (s) => s.historyVersion);
  const track = selectedId ? annotation?.tracks.find((t) => t.id === selectedId) : undefined;
  const categories = useMemo(() => [...new Set([...(annotation?.tags.map((t) => t.category) ?? []), ...(annotation?.tracks.map((t) => t.category) ?? [])])], [annotation]);
  const [category, setCategory] = useState(track?.category ?? '');
  useEffect(() => setCategory(track?.category ?? ''), [track?.category, track?.id]);
  const h = historyInfo();
  if (!annotation) return null;
  const commitCategory = () => {
    if (track && category.trim() && category.trim() !== track.category) void performAction('track.category', { category });
    else setCategory(track?.category ?? '');
  };
  return (
    <div className="inspector" role="toolbar" aria-label="Edit">
      <button type="button" onClick={() => void performAction('edit.undo')} disabled={!h.undo} title={h.undo ? `Undo: ${h.undo} (Ctrl+Z)` : 'Nothing to undo'}>
        ↶ Undo
      </button>
      <button type="button" onClick={() => void performAction('edit.redo')} disabled={!h.redo} title={h.redo ? `Redo: ${h.redo} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
        ↷ Redo
      </button>
      <button type="button" className={drawing ? 'on' : ''} onClick={() => void performAction('track.draw')} title="Draw a new instance (N)">
        + New
      </button>
      {track ? (
        <>
          <span className="sel">
            <span className="swatch" style={{ background: trackColor(track.id) }} />#{track.id}
          </span>
          <input
            aria-label="Category"
            list="categories"
            value={category}
            size={10}
            onChange={(e) => setCategory(e.target.value)}
            onBlur={commitCategory}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                commitCategory();
                focusStage();
              } else if (e.key === 'Escape') {
                setCategory(track.category);
                focusStage();
              }
            }}
          />
          <datalist id="categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <select
            aria-label="Corrections"
            value={track.interpolation ?? 'fade'}
            onChange={(e) => {
              void performAction('track.interpolation', { mode: e.target.value });
              focusStage();
            }}
            title="How a correction carries to the frames around it"
          >
            <option value="fade">fading corrections</option>
            <option value="linear">linear (CVAT)</option>
          </select>
          <Act id="key.prev" label="‹ key" title="Previous keyframe or visibility change (,)" />
          <Act id="key.set" label="◆ Key" title="Keyframe here (K)" />
          <Act id="key.next" label="key ›" title="Next keyframe or visibility change (.)" />
          <Act id="key.delete" label="✕ Key" title="Delete the keyframe here (Shift+K)" />
          <Act id="track.outside" label="Outside" title="Outside from here on, toggle (O)" />
          <Act id="track.occluded" label="Occluded" title="Occluded from here on, toggle (Q)" />
          <Act id="track.split" label="Split" title="Split here (Alt+S)" />
          <Act id="track.swap" label={pairId ? `Swap ↔ #${pairId}` : 'Swap…'} title="Swap identities with the Ctrl+clicked instance from here on (Alt+W)" />
          <Act id="track.merge" label={pairId ? `Merge #${pairId}` : 'Merge…'} title="Merge the Ctrl+clicked instance into this one (M)" />
          <Act id="track.deleteRest" label="Delete rest" title="Delete from here on (Shift+Delete)" />
          <Act id="track.delete" label="Delete" title="Delete the instance (Delete)" />
        </>
      ) : (
        <span className="muted">Click a box or a row to select an instance; Ctrl+click a second one to merge or swap.</span>
      )}
      {notice && (
        <span className="notice" role="status">
          {notice}
        </span>
      )}
    </div>
  );
}
