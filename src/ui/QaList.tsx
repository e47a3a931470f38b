import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { QaPair } from '../tasks/generate';
import { performAction } from '../store/actionRegistry';
import { clearDraft, draftOf, qaDraftKey, setDraft } from '../store/drafts';
import { currentQa, qaStatus, reviewStore } from '../store/reviewActions';
import { studio } from '../store/studioStore';
import { statusOf } from '../store/statuses';
import { TASK_LABEL } from './taskLabels';
import { focusStage } from './focusStage';

const VIDEO_TAG = '<video>\n';

/**
 * Rewrite a pair's question and answer (E); Ctrl+Enter saves (and approves), Escape cancels.
 * What is typed is kept as a draft until then, so a reload reopens the editor with it.
 */
function QaEditor({ pair, question, answer }: { pair: QaPair; question: string; answer: string }) {
  const videoId = useStore(studio, (s) => s.open?.id ?? '');
  const qKey = qaDraftKey(videoId, pair.id, 'question');
  const aKey = qaDraftKey(videoId, pair.id, 'answer');
  const tagged = question.startsWith(VIDEO_TAG);
  const untag = (t: string) => (tagged && t.startsWith(VIDEO_TAG) ? t.slice(VIDEO_TAG.length) : t);
  const [q, setQ] = useState(() => untag(draftOf(qKey) ?? question));
  const [a, setA] = useState(() => draftOf(aKey) ?? answer);
  const save = () => {
    // Refused (a number changed): the editor stays, and so do the keys, for the fix.
    void performAction('qa.edit', { qaId: pair.id, question: tagged ? VIDEO_TAG + q : q, answer: a }).then((ok) => ok && focusStage());
  };
  const cancel = () => {
    clearDraft(qKey, aKey);
    reviewStore.setState({ editingQaId: null });
  };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      cancel();
      focusStage();
    }
  };
  return (
    <div className="qa-editor" onClick={(e) => e.stopPropagation()}>
      <textarea
        aria-label="Question"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setDraft(qKey, tagged ? VIDEO_TAG + e.target.value : e.target.value);
        }}
        onKeyDown={keys}
        rows={3}
      />
      <textarea
        aria-label="Answer"
        value={a}
        onChange={(e) => {
          setA(e.target.value);
          setDraft(aKey, e.target.value);
        }}
        onKeyDown={keys}
        rows={3}
        autoFocus
      />
      <div className="qa-tools">
        <button type="button" onClick={save} title="Save and approve (Ctrl+Enter)">
          Save
        </button>
        <button type="button" onClick={cancel} title="Cancel (Escape)">
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The question–answer pairs made from one span, with the reviewer's decision on each (text only: captions are data). */
export function QaList({ spanId }: { spanId: string }) {
  const annotation = useStore(studio, (s) => s.annotation);
  const selected = useStore(reviewStore, (r) => r.selectedQaId);
  const editing = useStore(reviewStore, (r) => r.editingQaId);
  const pairs = currentQa().filter((q) => q.spanId === spanId);
  // Back with its annotator: the pairs are shown, decided again once the video is resubmitted.
  const returned = useStore(studio, (s) => (s.open ? statusOf(s.open.id) === 'returned' : false));
  useEffect(() => {
    // The pair under review stays in sight as J walks the queue.
    if (selected) document.querySelector(`.qa[data-qa="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  if (!pairs.length) return <p className="qa-empty">No question–answer pairs: this span needs a caption.</p>;
  return (
    <ul className="qa-list" aria-label="Question–answer pairs">
      {pairs.map((q) => {
        const status = qaStatus(q, annotation);
        const review = status === 'pending' ? undefined : annotation?.reviews?.[q.id];
        const question = review?.question ?? q.question;
        const answer = review?.answer ?? q.answer;
        return (
          <li key={q.id} className={`qa ${status}${q.id === selected ? ' selected' : ''}`} data-qa={q.id} onClick={() => void performAction('qa.select', { qaId: q.id })}>
            <div className="qa-head">
              <strong>{TASK_LABEL[q.task]}</strong> <span className={`qa-status ${status}`}>{status}</span>
              {review?.edited?.length ? <span className="muted"> · edited</span> : null}
              {review?.reviewer && <span className="muted"> · {review.reviewer}</span>}
              {status === 'rejected' && review?.reason && <span className="qa-reason"> — {review.reason}</span>}
            </div>
            {editing === q.id ? (
              <QaEditor pair={q} question={question} answer={answer} />
            ) : (
              <>
                <div className="qa-q">{question.replace(/^<video>\n/, '')}</div>
                <div className="qa-a">{answer}</div>
                {!returned && (
                  <div className="qa-tools">
                    <button type="button" onClick={(e) => (e.stopPropagation(), void performAction('qa.approve', { qaId: q.id }))} title="Approve (A)">
                      Approve
                    </button>
                    <button type="button" onClick={(e) => (e.stopPropagation(), void performAction('qa.reject', { qaId: q.id }))} title="Reject with a reason (R)">
                      Reject
                    </button>
                    <button type="button" onClick={(e) => (e.stopPropagation(), void performAction('qa.edit', { qaId: q.id }))} title="Edit the question or answer (E)">
                      Edit
                    </button>
                  </div>
                )}
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
