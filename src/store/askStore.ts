import { createStore } from 'zustand/vanilla';
import { studio } from './studioStore';

/**
 * A question the app asks in its own dialog (a reject reason, a return note, a confirmation):
 * the browser's prompt() and confirm() block the page, cannot be styled and read badly. An action
 * awaits the answer; the dialog (ui/AskDialog) resolves it. One question at a time: a new one
 * cancels the one before.
 */
export interface AskRequest {
  question: string;
  /** 'text' asks for a line of text; 'confirm' for yes or no. */
  kind: 'text' | 'confirm';
  confirmLabel: string;
  placeholder?: string;
  resolve: (answer: string | null) => void;
}

export const askStore = createStore<{ request: AskRequest | null }>()(() => ({ request: null }));

function ask(req: Omit<AskRequest, 'resolve'>): Promise<string | null> {
  answer(null);
  return new Promise((resolve) => {
    // A question is about the video open when it was asked: another video (or none) cancels it.
    const openAtAsk = studio.getState().open;
    const stop = studio.subscribe((s) => {
      if (s.open !== openAtAsk) answer(null);
    });
    askStore.setState({
      request: {
        ...req,
        resolve: (value) => {
          stop();
          resolve(value);
        },
      },
    });
  });
}

/** The text typed (trimmed), or null when cancelled or left empty. */
export async function askText(question: string, confirmLabel = 'OK', placeholder?: string): Promise<string | null> {
  const answer = await ask({ question, kind: 'text', confirmLabel, ...(placeholder ? { placeholder } : {}) });
  return answer?.trim() ? answer.trim() : null;
}

export async function askConfirm(question: string, confirmLabel = 'OK'): Promise<boolean> {
  return (await ask({ question, kind: 'confirm', confirmLabel })) !== null;
}

/** The dialog's answer: text (or '' for a confirmation), or null for Cancel. */
export function answer(value: string | null): void {
  const req = askStore.getState().request;
  if (!req) return;
  askStore.setState({ request: null });
  req.resolve(value);
}
