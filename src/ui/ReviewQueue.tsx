import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from 'zustand';
import { performAction } from '../store/actionRegistry';
import { filteredItems, NO_FILTERS, queueStore, setFilters, setReviewer, type QueueItem } from '../store/reviewQueue';
import { TASK_LABEL } from './taskLabels';
import { focusStage } from './focusStage';

const ROW_H = 46;

/** Task, status, category and video filters over the queue, with counts of what they leave. */
export function QueueFilterBar() {
  const items = useStore(queueStore, (q) => q.items);
  const filters = useStore(queueStore, (q) => q.filters);
  const shown = useStore(queueStore, (q) => filteredItems(q));
  const categories = useMemo(() => [...new Set(items.map((i) => i.category))].sort(), [items]);
  const videos = useMemo(() => [...new Set(items.map((i) => i.videoId))], [items]);
  const pending = shown.filter((i) => i.status === 'pending').length;
  return (
    <div className="queue-filters" role="group" aria-label="Queue filters">
      <select aria-label="Task" value={filters.task} onChange={(e) => setFilters({ task: e.target.value as QueueItem['task'] | '' })}>
        <option value="">all tasks</option>
        {Object.entries(TASK_LABEL).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
      <select aria-label="Status" value={filters.status} onChange={(e) => setFilters({ status: e.target.value as QueueItem['status'] | '' })}>
        <option value="">any status</option>
        <option value="pending">pending</option>
        <option value="approved">approved</option>
        <option value="rejected">rejected</option>
      </select>
      <select aria-label="Category" value={filters.category} onChange={(e) => setFilters({ category: e.target.value })}>
        <option value="">all categories</option>
        {categories.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <select aria-label="Video" value={filters.video} onChange={(e) => setFilters({ video: e.target.value })}>
        <option value="">all videos</option>
        {videos.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
      {Object.values(filters).some(Boolean) && (
        <button type="button" className="link" onClick={() => setFilters(NO_FILTERS)}>
          clear
        </button>
      )}
      <span className="muted" data-testid="queue-count">
        {shown.length.toLocaleString()} pairs · {pending.toLocaleString()} pending
      </span>
    </div>
  );
}

export function ReviewerName() {
  const reviewer = useStore(queueStore, (q) => q.reviewer);
  return (
    <label className="reviewer">
      Reviewer{' '}
      <input
        aria-label="Reviewer name"
        className={reviewer.trim() ? '' : 'invalid'}
        placeholder="your name"
        title={reviewer.trim() ? '' : 'Decisions are counted per reviewer: without a name they count as (unnamed)'}
        value={reviewer}
        onChange={(e) => setReviewer(e.target.value)}
        onKeyDown={(e) => {
          // Like the Frame box: Enter (or Escape) hands the keys back, so the next J walks the queue.
          if (e.key === 'Enter' || e.key === 'Escape') {
            e.currentTarget.blur();
            focusStage();
          }
        }}
      />
    </label>
  );
}

/** The filtered queue as a virtualized list (100,000 pairs scroll smoothly); Enter or a click shows the pair's evidence. */
export function QueueList({ compact = false }: { compact?: boolean }) {
  const shown = useStore(queueStore, (q) => filteredItems(q));
  const hasItems = useStore(queueStore, (q) => q.items.length > 0);
  const current = useStore(queueStore, (q) => q.current);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 10 });
  const currentIndex = current ? shown.findIndex((i) => i.videoId === current.videoId && i.qaId === current.qaId) : -1;
  const lastScrolled = useRef(-1);
  if (currentIndex >= 0 && currentIndex !== lastScrolled.current) {
    lastScrolled.current = currentIndex;
    queueMicrotask(() => virtual.scrollToIndex(currentIndex, { align: 'auto' }));
  }
  return (
    <div className={`queue-list${compact ? ' compact' : ''}`} ref={scrollRef} role="list" aria-label="Review queue">
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {virtual.getVirtualItems().map((r) => {
          const it = shown[r.index]!;
          const on = r.index === currentIndex;
          return (
            <div
              key={`${it.videoId}\u0000${it.qaId}`}
              role="listitem"
              tabIndex={-1}
              className={`queue-row ${it.status}${on ? ' current' : ''}`}
              style={{ transform: `translateY(${r.start}px)`, height: ROW_H }}
              data-qa={it.qaId}
              data-video={it.videoId}
              onClick={() => void performAction('queue.show', { videoId: it.videoId, qaId: it.qaId })}
            >
              <div className="queue-row-head">
                <span className={`qa-status ${it.status}`}>{it.status}</span> <strong>{TASK_LABEL[it.task]}</strong> <span className="muted">{it.videoId} · #{it.trackId} {it.category}</span>
                {it.reviewer && <span className="muted"> · {it.reviewer}</span>}
              </div>
              <div className="queue-row-q">{it.question.replace(/^<video>\n/, '')}</div>
            </div>
          );
        })}
      </div>
      {!shown.length && <p className="muted pad">{hasItems ? 'No pairs match these filters.' : 'No pairs yet: they come from the captioned spans of submitted videos.'}</p>}
    </div>
  );
}

/** In the video view while reviewing: where the reviewer is in the queue, and the whole-video decisions. */
export function QueuePanel() {
  const shown = useStore(queueStore, (q) => filteredItems(q));
  const current = useStore(queueStore, (q) => q.current);
  const at = current ? shown.findIndex((i) => i.videoId === current.videoId && i.qaId === current.qaId) : -1;
  return (
    <aside className="queue-panel" aria-label="Review queue panel">
      <div className="queue-panel-head">
        <strong>Review queue</strong> <span className="muted">{at >= 0 ? `${at + 1} / ${shown.length}` : `${shown.length} pairs`}</span>
        <span className="spacer" />
        <button type="button" className="link" onClick={() => queueStore.setState({ active: false })} title="Leave review mode">
          leave
        </button>
      </div>
      <ReviewerName />
      <QueueFilterBar />
      <QueueList compact />
      <VideoDecision />
    </aside>
  );
}

function VideoDecision() {
  return (
    <div className="video-decision">
      <button
        type="button"
        onClick={() => void performAction('video.approve')}
        title="Approve the whole video"
      >
        Approve video
      </button>
      <button type="button" onClick={() => void performAction('video.return')} title="Return the video to its annotator with a note">
        Return with note…
      </button>
    </div>
  );
}
