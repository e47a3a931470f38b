import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { spanMotion, type VideoFlag } from '../model/videoFlags';
import { wordDiff } from '../model/wordDiff';
import type { Span } from '../model/types';
import { performAction } from '../store/actionRegistry';
import { captionDraftKey, clearDraft, draftOf, draftStore, setDraft } from '../store/drafts';
import { motionKeys, sceneCamera } from '../store/sceneMotion';
import { encoderStore } from '../store/encoderStore';
import { QaList } from './QaList';
import { currentFlags } from '../store/spanActions';
import { readOnlyReason } from '../store/history';
import { studio } from '../store/studioStore';
import { trackColor } from './colors';
import { focusStage } from './focusStage';

const ARROWS: Record<string, string> = { right: '→', 'down-right': '↘', down: '↓', 'down-left': '↙', left: '←', 'up-left': '↖', up: '↑', 'up-right': '↗' };

/** Captions are model-written text: every piece is rendered as React text, never as HTML. */
function Diff({ before, after }: { before: string; after: string }) {
  const parts = useMemo(() => wordDiff(before, after), [before, after]);
  return (
    <p className="diff" aria-label="Changes to the model's caption">
      {parts.map((p, i) => (
        <span key={i} className={`diff-${p.op}`}>
          {p.text}{' '}
        </span>
      ))}
    </p>
  );
}

function FlagRow({ flag }: { flag: VideoFlag }) {
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  return (
    // Working on a flag must not re-select its span (which would re-filter the list under the pointer).
    <li className={`flag${flag.dismissed ? ' dismissed' : ''}`} data-flag={flag.id} onClick={(e) => e.stopPropagation()}>
      <span className="kind">{flag.kind}</span> {flag.message}
      {flag.dismissed ? (
        <>
          {' '}
          <em>dismissed: {studio.getState().annotation?.dismissed?.[flag.id]}</em>{' '}
          <button type="button" onClick={() => void performAction('flag.restore', { flagId: flag.id })}>
            Restore
          </button>
        </>
      ) : asking ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void performAction('flag.dismiss', { flagId: flag.id, reason });
            // An empty reason is refused (the notice says so): keep the box open for one.
            if (reason.trim()) setAsking(false);
          }}
        >
          <input
            aria-label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setAsking(false);
            }}
            placeholder="why it is fine"
            required
            autoFocus
          />
          <button type="submit">Dismiss</button>
        </form>
      ) : (
        <>
          {' '}
          <button type="button" onClick={() => setAsking(true)}>
            Dismiss…
          </button>
        </>
      )}
    </li>
  );
}

function SpanCard({ span, selected, flags }: { span: Span; selected: boolean; flags: VideoFlag[] }) {
  const annotation = useStore(studio, (s) => s.annotation);
  useStore(encoderStore, (e) => (e.sceneRelative ? e.camera : null));
  const camera = sceneCamera();
  // What is typed is a draft until Enter (or leaving the box) commits it: a reload offers it again.
  const videoId = useStore(studio, (s) => s.open?.id ?? '');
  const draftKey = captionDraftKey(videoId, span.id);
  const hasDraft = useStore(draftStore, (d) => draftKey in d.drafts);
  const [text, setTextState] = useState(() => draftOf(draftKey) ?? span.caption);
  // The latest text for commit(): Escape resets it and blurs in one handler, and the blur's commit
  // must see the reset, not the render's stale `text` (which committed what Escape meant to drop).
  const latest = useRef(text);
  useEffect(() => {
    latest.current = draftOf(draftKey) ?? span.caption;
    setTextState(latest.current);
  }, [span.caption, draftKey]);
  // Submitted or approved: the caption is read, not written (and leaves no draft behind).
  const readOnly = useStore(studio, () => readOnlyReason() !== null);
  const setText = (t: string) => {
    latest.current = t;
    setTextState(t);
    if (t === span.caption) clearDraft(draftKey);
    else if (!readOnly) setDraft(draftKey, t);
  };
  // motionKeys reads the camera from its store: `camera` is what makes the summary change.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const motion = useMemo(() => (annotation ? spanMotion(annotation, motionKeys, span.id) : null), [annotation, span.id, camera]);
  // Enter (span.editCaption) and Alt+↓/↑ from a caption ask for the selected card's caption box.
  const area = useRef<HTMLTextAreaElement>(null);
  const focusRequest = useStore(studio, (s) => s.captionFocus);
  const seenRequest = useRef(focusRequest);
  useEffect(() => {
    const fresh = focusRequest !== seenRequest.current;
    seenRequest.current = focusRequest;
    if (fresh && selected) area.current?.focus();
  }, [focusRequest, selected]);
  // What was last sent: Enter commits and hands the keys back, and the blur that follows must not send it again.
  const sent = useRef<string | null>(null);
  useEffect(() => {
    sent.current = null;
  }, [span.caption]);
  const commit = () => {
    if (latest.current === span.caption || latest.current === sent.current) return;
    sent.current = latest.current;
    void performAction('span.caption', { spanId: span.id, caption: latest.current });
  };
  return (
    <article className={`span-card${selected ? ' selected' : ''}`} data-span={span.id} onClick={() => !selected && void performAction('span.select', { spanId: span.id, seek: true })}>
      <header>
        <span className="swatch" style={{ background: trackColor(span.trackId) }} />#{span.trackId} · frames {span.start}–{span.end}
        <span className="src">{span.captionSource === 'human' ? 'edited' : 'model'}</span>
        {hasDraft && !selected && (
          <span className="draft" title="Typed but not saved: select the span, then Enter saves it or Escape drops it">
            unsaved draft
          </span>
        )}
      </header>
      <div className="motion" title="Measured from the boxes">
        <span className="arrow">{motion?.direction ? ARROWS[motion.direction] : motion ? '•' : '?'}</span> {motion ? motion.text : 'not shown in this span'}
      </div>
      {selected ? (
        <>
          <textarea
            ref={area}
            readOnly={readOnly}
            aria-label="Caption"
            value={text}
            rows={3}
            onChange={(e) => setText(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                commit();
                // Kept: the keys go back to the video (Space plays, L loops), as after the Frame box.
                focusStage();
              } else if (e.key === 'Escape') {
                setText(span.caption); // and the draft with it
                (e.target as HTMLTextAreaElement).blur();
              } else if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
                // Span to span without leaving the keyboard: keep the edit, then move on.
                e.preventDefault();
                commit();
                void performAction(e.key === 'ArrowDown' ? 'span.next' : 'span.prev').then(() => performAction('span.editCaption'));
              }
            }}
          />
          {span.modelCaption && span.caption !== span.modelCaption && <Diff before={span.modelCaption} after={span.caption} />}
          <div className="span-tools">
            <button type="button" onClick={() => void performAction('span.loop', { spanId: span.id })} title="Loop this span (L)">
              ⟲ Loop
            </button>
            <button type="button" onClick={() => void performAction('span.split', { spanId: span.id })} title="Split at the current frame (Alt+X)">
              Split
            </button>
            <button type="button" onClick={() => void performAction('span.mergeNext', { spanId: span.id })} title="Merge with the next span (Alt+J)">
              Merge next
            </button>
            <button type="button" onClick={() => void performAction('span.delete', { spanId: span.id })} title="Delete (Ctrl+Delete)">
              Delete
            </button>
          </div>
          <QaList spanId={span.id} />
        </>
      ) : (
        <p className="caption">{span.caption || <em>(no caption)</em>}</p>
      )}
      {flags.length > 0 && (
        <ul className="flags">
          {flags.map((f) => (
            <FlagRow key={f.id} flag={f} />
          ))}
        </ul>
      )}
    </article>
  );
}

/** Beside the video: the spans (of the selected instance, or all), their captions, motion and flags; submit. */
export function SpanPanel() {
  const annotation = useStore(studio, (s) => s.annotation);
  const selectedTrack = useStore(studio, (s) => s.selectedTrackId);
  const selectedSpan = useStore(studio, (s) => s.selectedSpanId);
  useStore(encoderStore, (e) => (e.sceneRelative ? e.camera : null));
  const status = useStore(studio, (s) => (s.open ? (s.statuses[s.open.id] ?? s.open.status ?? 'todo') : null));
  // A return note stays as history once the video is resubmitted, marked as such.
  const returnedEarlier = annotation?.videoReview?.status === 'returned' && status !== 'returned';
  if (!annotation) return null;
  const flags = currentFlags();
  const open = flags.filter((f) => !f.dismissed).length;
  const spans = annotation.spans.filter((s) => !selectedTrack || s.trackId === selectedTrack).sort((a, b) => a.start - b.start);
  return (
    <aside className="span-panel" aria-label="Spans and captions">
      <div className="submit-bar">
        <span className={`chip status-${status}`}>{status?.replace('_', ' ')}</span>
        <button type="button" className={open ? 'flag-count open' : 'flag-count'} onClick={() => void performAction('track.deselect')} title="Show every span and flag of the video">
          {open ? `${open} open flag${open === 1 ? '' : 's'}` : 'checks pass'}
        </button>
        {status === 'submitted' || status === 'approved' ? (
          <button type="button" onClick={() => void performAction('video.return')} title="Reviewer: return to the annotator with a note">
            Return…
          </button>
        ) : (
          <button type="button" className="primary" disabled={open > 0} onClick={() => void performAction('video.submit')} title="Submit (Ctrl+Enter)">
            Submit
          </button>
        )}
      </div>
      {annotation.videoReview?.note && (
        <p className={`review-note ${annotation.videoReview.status}${returnedEarlier ? ' earlier' : ''}`} role="note" data-testid="review-note">
          <strong>
            {annotation.videoReview.status === 'approved' ? 'Approved' : returnedEarlier ? 'Returned earlier' : 'Returned'}
            {annotation.videoReview.reviewer ? ` by ${annotation.videoReview.reviewer}` : ''}
            {returnedEarlier ? ' (since resubmitted)' : ''}:
          </strong>{' '}
          {annotation.videoReview.note}
        </p>
      )}
      <h3>
        {selectedTrack ? `Spans of #${selectedTrack}` : 'All spans'} <small>({spans.length})</small>
      </h3>
      <div className="span-list">
        {spans.map((s) => (
          <SpanCard key={s.id} span={s} selected={s.id === selectedSpan} flags={flags.filter((f) => f.spanId === s.id)} />
        ))}
        {!spans.length && <p className="muted">No spans. Select an instance, press {'{'} at its first frame and {'}'} at its last, or Shift+drag on its lane.</p>}
      </div>
    </aside>
  );
}
