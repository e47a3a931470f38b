import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { VideoStatus } from '../model/types';
import { queueStore, type QaStatus, type QueueItem } from '../store/reviewQueue';
import { studio } from '../store/studioStore';
import { TASK_LABEL } from './taskLabels';

const VIDEO_STATUSES: VideoStatus[] = ['todo', 'in_progress', 'submitted', 'approved', 'returned'];
const PAIR_STATUSES: QaStatus[] = ['pending', 'approved', 'rejected'];

type Counts = Record<string, number>;

/** One horizontal stacked bar: a segment per key, widths proportional to the counts. */
function Bar({ counts, keys, label }: { counts: Counts; keys: readonly string[]; label: string }) {
  const total = keys.reduce((n, k) => n + (counts[k] ?? 0), 0);
  return (
    <div className="bar-row" data-bar={label}>
      <span className="bar-label">{label}</span>
      <span className="bar" role="img" aria-label={`${label}: ${keys.map((k) => `${counts[k] ?? 0} ${k.replace('_', ' ')}`).join(', ')}`}>
        {total > 0 &&
          keys.map((k) => (counts[k] ? <span key={k} className={`seg status-${k}`} style={{ width: `${(100 * counts[k]!) / total}%` }} title={`${k.replace('_', ' ')}: ${counts[k]}`} /> : null))}
      </span>
      <span className="bar-total">{total.toLocaleString()}</span>
    </div>
  );
}

function Legend({ keys, counts }: { keys: readonly string[]; counts: Counts }) {
  return (
    <div className="legend">
      {keys.map((k) => (
        <span key={k}>
          <span className={`seg-dot status-${k}`} /> {k.replace('_', ' ')} {(counts[k] ?? 0).toLocaleString()}
        </span>
      ))}
    </div>
  );
}

function tally(items: QueueItem[], by: (it: QueueItem) => string): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const it of items) {
    const k = by(it);
    const c = out.get(k) ?? {};
    c[it.status] = (c[it.status] ?? 0) + 1;
    out.set(k, c);
  }
  return out;
}

/** Progress of the dataset: videos by status, pairs by status per task and category, and who decided what. */
export function Dashboard() {
  const dataset = useStore(studio, (s) => s.dataset);
  const statuses = useStore(studio, (s) => s.statuses);
  const items = useStore(queueStore, (q) => q.items);
  const videoCounts = useMemo(() => {
    const c: Counts = {};
    for (const v of dataset?.videos ?? []) {
      const st = statuses[v.id] ?? v.status ?? 'todo';
      c[st] = (c[st] ?? 0) + 1;
    }
    return c;
  }, [dataset, statuses]);
  const byTask = useMemo(() => tally(items, (it) => it.task), [items]);
  const byCategory = useMemo(() => [...tally(items, (it) => it.category || '(none)')].sort((a, b) => a[0].localeCompare(b[0])), [items]);
  const reviewers = useMemo(() => {
    const out = new Map<string, { approved: number; rejected: number; edited: number }>();
    for (const it of items) {
      if (it.status === 'pending') continue;
      const name = it.reviewer ?? '(unnamed)';
      const r = out.get(name) ?? { approved: 0, rejected: 0, edited: 0 };
      r[it.status]++;
      if (it.edited) r.edited++;
      out.set(name, r);
    }
    return [...out].sort((a, b) => a[0].localeCompare(b[0]));
  }, [items]);
  const allPairs = useMemo(() => tally(items, () => 'all').get('all') ?? {}, [items]);
  return (
    <div className="dashboard" aria-label="Progress">
      <section>
        <h3>Videos</h3>
        <Bar counts={videoCounts} keys={VIDEO_STATUSES} label="videos" />
        <Legend keys={VIDEO_STATUSES} counts={videoCounts} />
      </section>
      <section>
        <h3>Question–answer pairs</h3>
        <Bar counts={allPairs} keys={PAIR_STATUSES} label="all pairs" />
        {Object.entries(TASK_LABEL).map(([task, label]) => (
          <Bar key={task} counts={byTask.get(task) ?? {}} keys={PAIR_STATUSES} label={label} />
        ))}
        <Legend keys={PAIR_STATUSES} counts={allPairs} />
      </section>
      <section>
        <h3>By category</h3>
        {byCategory.map(([cat, c]) => (
          <Bar key={cat} counts={c} keys={PAIR_STATUSES} label={cat} />
        ))}
        {!byCategory.length && <p className="muted">No pairs yet: they come from the spans of submitted videos.</p>}
      </section>
      <section>
        <h3>Reviewers</h3>
        <table className="reviewers" aria-label="Decisions per reviewer">
          <thead>
            <tr>
              <th>reviewer</th>
              <th>approved</th>
              <th>rejected</th>
              <th>edited</th>
            </tr>
          </thead>
          <tbody>
            {reviewers.map(([name, r]) => (
              <tr key={name} data-reviewer={name}>
                <td>{name}</td>
                <td>{r.approved}</td>
                <td>{r.rejected}</td>
                <td>{r.edited}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!reviewers.length && <p className="muted">No decisions yet.</p>}
      </section>
    </div>
  );
}
