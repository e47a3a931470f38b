import { studio } from '../store/studioStore';
import { keyList } from '../model/keyframes';
import { saveBlob } from '../store/exportSession';

/** When the browser refuses to store, the work leaves as a file instead of being lost. */
export function downloadWork(): void {
  const s = studio.getState();
  const a = s.annotation;
  const payload = {
    format: 'imove-studio-backup/1',
    savedAt: new Date().toISOString(),
    statuses: s.statuses,
    annotation: a && {
      video: a.video,
      tags: a.tags,
      spans: a.spans,
      tracks: a.tracks.map((t) => ({ id: t.id, category: t.category, provenance: t.provenance, score: t.score, interpolation: t.interpolation ?? 'fade', keyframes: keyList(t.keys), humanKeyframes: t.human ? keyList(t.human) : [] })),
    },
  };
  saveBlob(new Blob([JSON.stringify(payload)], { type: 'application/json' }), `imove-studio-${a?.video.id ?? 'work'}.json`);
}
