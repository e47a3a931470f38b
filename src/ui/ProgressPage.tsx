import { useEffect } from 'react';
import { useStore } from 'zustand';
import { loadQueue, queueStore } from '../store/reviewQueue';
import { Dashboard } from './Dashboard';
import { ExportPanel } from './ExportPanel';

/** The curator's page: how far the dataset is, and the export. */
export function ProgressPage() {
  const loading = useStore(queueStore, (q) => q.loading);
  useEffect(() => {
    void loadQueue();
  }, []);
  return (
    <section className="progress-page" aria-label="Progress and export">
      {loading && (
        <div className="progress" role="progressbar">
          {loading.label}… {loading.loaded} / {loading.total} videos
        </div>
      )}
      <Dashboard />
      <ExportPanel />
    </section>
  );
}
