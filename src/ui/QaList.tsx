import { useStore } from 'zustand';
import { performAction } from '../store/actionRegistry';
import { currentQa, qaStatus, reviewStore } from '../store/reviewActions';
import { studio } from '../store/studioStore';

const TASK_LABEL = { spatial_grounding: 'Spatial grounding', temporal_grounding: 'Temporal grounding', dynamic_captioning: 'Dynamic captioning' } as const;

/** The question–answer pairs made from one span, with the reviewer's decision on each (text only: captions are data). */
export function QaList({ spanId }: { spanId: string }) {
  const annotation = useStore(studio, (s) => s.annotation);
  const selected = useStore(reviewStore, (r) => r.selectedQaId);
  void annotation;
  const pairs = currentQa().filter((q) => q.spanId === spanId);
  if (!pairs.length) return <p className="qa-empty">No question–answer pairs: this span needs a caption.</p>;
  return (
    <ul className="qa-list" aria-label="Question–answer pairs">
      {pairs.map((q) => {
        const status = qaStatus(q);
        const review = annotation?.reviews?.[q.id];
        return (
          <li key={q.id} className={`qa ${status}${q.id === selected ? ' selected' : ''}`} data-qa={q.id} onClick={() => void performAction('qa.select', { qaId: q.id })}>
            <div className="qa-head">
              <strong>{TASK_LABEL[q.task]}</strong> <span className={`qa-status ${status}`}>{status}</span>
              {status === 'rejected' && review?.reason && <span className="qa-reason"> — {review.reason}</span>}
            </div>
            <div className="qa-q">{(review?.question ?? q.question).replace(/^<video>\n/, '')}</div>
            <div className="qa-a">{review?.answer ?? q.answer}</div>
            <div className="qa-tools">
              <button type="button" onClick={(e) => (e.stopPropagation(), void performAction('qa.approve', { qaId: q.id }))} title="Approve (A)">
                Approve
              </button>
              <button type="button" onClick={(e) => (e.stopPropagation(), void performAction('qa.select', { qaId: q.id }).then(() => performAction('qa.reject')))} title="Reject with a reason (R)">
                Reject
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
