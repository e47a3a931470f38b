import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from 'zustand';
import type { VideoStatus } from '../model/types';
import { openVideo } from '../store/session';
import { studio } from '../store/studioStore';

const STATUSES: VideoStatus[] = ['todo', 'in_progress', 'submitted', 'approved', 'returned'];
const ROW_H = 34;

/** The videos of the open dataset: status counts, a filter, and a virtualized list (100,000 rows scroll smoothly). */
export function DatasetView() {
  const dataset = useStore(studio, (s) => s.dataset);
  const statuses = useStore(studio, (s) => s.statuses);
  const counts = useStore(studio, (s) => s.counts);
  const loading = useStore(studio, (s) => s.datasetLoading);
  const error = useStore(studio, (s) => s.datasetError);
  const [query, setQuery] = useState('');
  const [statusFilter, setStatusFilter] = useState<VideoStatus | ''>('');
  const scrollRef = useRef<HTMLDivElement>(null);

  const statusOf = useMemo(() => (id: string, fallback?: VideoStatus) => statuses[id] ?? fallback ?? 'todo', [statuses]);
  const tally = useMemo(() => {
    const t: Record<string, number> = {};
    for (const v of dataset?.videos ?? []) {
      const s = statusOf(v.id, v.status);
      t[s] = (t[s] ?? 0) + 1;
    }
    return t;
  }, [dataset, statusOf]);
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = dataset?.videos ?? [];
    if (!q && !statusFilter) return all;
    return all.filter(
      (v) => (!q || v.id.toLowerCase().includes(q) || (v.title ?? '').toLowerCase().includes(q)) && (!statusFilter || statusOf(v.id, v.status) === statusFilter),
    );
  }, [dataset, query, statusFilter, statusOf]);

  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 12 });

  return (
    <section className="dataset" aria-label="Dataset">
      <header className="dataset-head">
        <h2>{dataset?.name ?? 'No dataset'}</h2>
        <span className="muted">{dataset ? `${dataset.videos.length.toLocaleString()} ${dataset.videos.length === 1 ? 'video' : 'videos'}` : ''}</span>
        <span className="tally">
          {STATUSES.map((s) => (
            <button key={s} className={`chip status-${s}${statusFilter === s ? ' on' : ''}`} onClick={() => setStatusFilter(statusFilter === s ? '' : s)}>
              {s.replace('_', ' ')} {(tally[s] ?? 0).toLocaleString()}
            </button>
          ))}
        </span>
        <input aria-label="Filter videos" placeholder="Filter by id or title" value={query} onChange={(e) => setQuery(e.target.value)} />
      </header>
      {loading && (
        <div className="progress" role="progressbar" aria-valuenow={loading.total ? Math.round((100 * loading.loaded) / loading.total) : undefined}>
          {loading.label}… {loading.total ? `${Math.round((100 * loading.loaded) / loading.total)}%` : ''}
        </div>
      )}
      {error && <div className="error" role="alert">{error}</div>}
      <div className="video-list" ref={scrollRef} role="list" aria-label="Videos">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((r) => {
            const v = rows[r.index]!;
            const st = statusOf(v.id, v.status);
            const c = counts[v.id];
            return (
              <div
                key={v.id}
                role="listitem"
                tabIndex={0}
                className="video-row"
                style={{ transform: `translateY(${r.start}px)`, height: ROW_H }}
                data-video={v.id}
                onClick={() => void openVideo(v)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void openVideo(v);
                }}
              >
                <span className="vid">{v.id}</span>
                <span className="vtitle">{v.title ?? ''}</span>
                <span className={`chip status-${st}`}>{st.replace('_', ' ')}</span>
                <span className="muted counts">{c ? `${c.tracks} instance${c.tracks === 1 ? '' : 's'} · ${c.spans} span${c.spans === 1 ? '' : 's'}` : v.proposals ? 'proposals not opened yet' : 'no proposals'}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
