/** Hand the keyboard back to the stage, so the next key is a shortcut (after a box, a dialog, an editor). */
export function focusStage(): void {
  document.querySelector<HTMLElement>('[data-testid="stage"]')?.focus();
}
