/**
 * One registry for every user-visible command (Excalidraw's `actions/` pattern): the shortcut,
 * the `?` sheet, buttons and `window.studio.perform` all go through `perform` here.
 */
export interface Action<Args = unknown> {
  id: string;
  label: string;
  /** Shortcut strings like "Space", "F", "Alt+ArrowRight", "Ctrl+Z", "Shift+?" — first is the one shown. */
  keys?: string[];
  /** Group in the shortcut sheet. */
  group: string;
  perform(args?: Args): unknown;
  enabled?(): boolean;
}

const registry = new Map<string, Action>();

export function registerActions(actions: Action[]): void {
  for (const a of actions) {
    if (registry.has(a.id)) throw new Error(`action ${a.id} registered twice`);
    registry.set(a.id, a as Action);
  }
}

export function listActions(): Action[] {
  return [...registry.values()];
}

export function getAction(id: string): Action | undefined {
  return registry.get(id);
}

export async function performAction(id: string, args?: unknown): Promise<unknown> {
  const a = registry.get(id);
  if (!a) throw new Error(`unknown action "${id}"; see studio.actions()`);
  if (a.enabled && !a.enabled()) return undefined;
  return a.perform(args);
}

/** Normalised key string of a keyboard event, e.g. "Ctrl+Shift+Z", "Alt+ArrowRight", "F", "Space". */
export function keyOf(e: { key: string; code?: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): string {
  let k = e.key;
  if (k === ' ') k = 'Space';
  else if (k.length === 1) k = k.toUpperCase();
  // Alt on macOS changes e.key (Alt+F = ƒ): fall back to the physical key.
  if (e.altKey && e.code?.startsWith('Key')) k = e.code.slice(3);
  const mods: string[] = [];
  if (e.ctrlKey || e.metaKey) mods.push('Ctrl');
  if (e.altKey) mods.push('Alt');
  // Shift is part of the character for punctuation ("?"), so only name it for letters and named keys.
  if (e.shiftKey && (k.length > 1 || /[A-Z]/.test(k))) mods.push('Shift');
  return [...mods, k].join('+');
}

export function actionForKey(key: string): Action | undefined {
  for (const a of registry.values()) if (a.keys?.includes(key)) return a;
  return undefined;
}

/** Only for tests. */
export function clearActionsForTest(): void {
  registry.clear();
}
