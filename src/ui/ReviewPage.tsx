import { useEffect } from 'react';
import { useStore } from 'zustand';
import { performAction } from '../store/actionRegistry';
import { loadQueue, queueStore } from '../store/reviewQueue';
import { QueueFilterBar, QueueList, ReviewerName } from './ReviewQueue';

/** The reviewer's page: every pair of every submitted video, filtered; J starts at the first match. */
export function ReviewPage() {
  const loading = useStore(queueStore, (q) => q.loading);
  const error = useStore(queueStore, (q) => q.error);
  useEffect(() => {
    queueStore.setState({ active: true });
    void loadQueue();
  }, []);
  return (
    <section className="review-page" aria-label="Review">
      <header className="dataset-head">
        <h2>Review queue</h2>
        <ReviewerName />
        <button type="button" className="primary" onClick={() => void performAction('qa.next')} title="Show the first pair of the queue (J)">
          Start (J)
        </button>
        <button type="button" onClick={() => void loadQueue()} title="Read the dataset's submitted videos again">
          Refresh
        </button>
      </header>
      <QueueFilterBar />
      {loading && (
        <div className="progress" role="progressbar" aria-valuenow={loading.total ? Math.round((100 * loading.loaded) / loading.total) : undefined}>
          {loading.label}… {loading.loaded} / {loading.total} videos
        </div>
      )}
      {error && <div className="error" role="alert">{error}</div>}
      <QueueList />
      <p className="muted">J / Shift+J next / previous pair · A approve · R reject with a reason · E edit · the span loops while you decide.</p>
    </section>
  );
}
