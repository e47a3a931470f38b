import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { answer, askStore, type AskRequest } from '../store/askStore';
import { focusStage } from './focusStage';

/**
 * The app's own question, as a modal <dialog>: the page behind is inert (no click, no focus, no
 * shortcut reaches it), Enter answers, Escape or a click outside cancels, and the keys go back
 * to the stage after.
 */
export function AskDialog() {
  const req = useStore(askStore, (s) => s.request);
  return req ? <Ask key={req.question + req.kind} req={req} /> : null;
}

function Ask({ req }: { req: AskRequest }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const done = (value: string | null) => {
    answer(value);
    focusStage();
  };
  return (
    <dialog
      ref={ref}
      className="ask"
      aria-label={req.question}
      onCancel={(e) => {
        e.preventDefault();
        done(null);
      }}
      // A click on the backdrop lands on the dialog element itself; the form covers the rest.
      onClick={(e) => e.target === e.currentTarget && done(null)}
      onKeyDown={(e) => {
        e.stopPropagation();
        // Space is play/pause everywhere else: on a dialog button it must not answer for the reviewer.
        if (e.key === ' ' && e.target instanceof HTMLButtonElement) e.preventDefault();
      }}
      onKeyUp={(e) => {
        if (e.key === ' ' && e.target instanceof HTMLButtonElement) e.preventDefault();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (req.kind === 'confirm') done('');
          else if (text.trim()) done(text);
        }}
      >
        <p>{req.question}</p>
        {req.kind === 'text' && <input aria-label={req.question} value={text} placeholder={req.placeholder} onChange={(e) => setText(e.target.value)} autoFocus />}
        <div className="ask-buttons">
          <button type="submit" className="primary" disabled={req.kind === 'text' && !text.trim()} autoFocus={req.kind === 'confirm'}>
            {req.confirmLabel}
          </button>
          <button type="button" onClick={() => done(null)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
