import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { answer, askStore } from '../store/askStore';

function focusStage(): void {
  document.querySelector<HTMLElement>('[data-testid="stage"]')?.focus();
}

/** The app's own question dialog: Enter answers, Escape cancels, and the keys go back to the stage after. */
export function AskDialog() {
  const req = useStore(askStore, (s) => s.request);
  const [text, setText] = useState('');
  useEffect(() => setText(''), [req]);
  if (!req) return null;
  const done = (value: string | null) => {
    answer(value);
    focusStage();
  };
  const ok = () => done(req.kind === 'text' ? text : '');
  return (
    <div className="ask-backdrop" onClick={() => done(null)}>
      <form
        className="ask"
        role="dialog"
        aria-modal="true"
        aria-label={req.question}
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (req.kind === 'confirm' || text.trim()) ok();
        }}
        onKeyDown={(e) => {
          // Inside the dialog no shortcut fires: keys are the dialog's.
          e.stopPropagation();
          if (e.key === 'Escape') done(null);
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
    </div>
  );
}
