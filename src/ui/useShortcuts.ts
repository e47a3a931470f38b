import { useEffect } from 'react';
import { actionForKey, keyOf, performAction } from '../store/actionRegistry';
import { askStore } from '../store/askStore';

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'range'].includes(t.type);
  return t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** Every shortcut goes through the action registry. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // While the app asks something, its keys are the dialog's.
      if (askStore.getState().request) return;
      if (isTyping(e.target)) return;
      // Enter belongs to a focused button, link or list (the queue's); the stage's only when it has the focus.
      if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey && e.target instanceof HTMLElement && e.target !== document.body && e.target.dataset.testid !== 'stage') return;
      const action = actionForKey(keyOf(e));
      if (!action) return;
      e.preventDefault();
      void Promise.resolve(performAction(action.id)).catch((err: unknown) => console.warn(`${action.id}:`, err));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
