import { useEffect } from 'react';
import { actionForKey, keyOf, performAction } from '../store/actionRegistry';

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'range'].includes(t.type);
  return t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** Every shortcut goes through the action registry. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const action = actionForKey(keyOf(e));
      if (!action) return;
      e.preventDefault();
      void Promise.resolve(performAction(action.id)).catch((err: unknown) => console.warn(`${action.id}:`, err));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
