import { createStore } from 'zustand/vanilla';
import { load, saveSoon } from './persistence';

/**
 * Text being typed and not yet committed (a caption, a reviewer's question or answer). It is not an
 * edit until Enter or Save makes it one through its action, but a reload or a crash must not lose
 * it: kept here, saved like everything else, and offered again where it was being typed.
 */
export const draftStore = createStore<{ drafts: Record<string, string> }>()(() => ({ drafts: {} }));

const KEY = 'drafts';

export const captionDraftKey = (videoId: string, spanId: string) => `caption:${videoId}:${spanId}`;
export const qaDraftKey = (videoId: string, qaId: string, field: 'question' | 'answer') => `qa:${videoId}:${qaId}:${field}`;

export function draftOf(key: string): string | undefined {
  return draftStore.getState().drafts[key];
}

export function setDraft(key: string, text: string): void {
  const drafts = { ...draftStore.getState().drafts, [key]: text };
  draftStore.setState({ drafts });
  saveSoon(KEY, drafts);
}

export function clearDraft(...keys: string[]): void {
  const cur = draftStore.getState().drafts;
  if (!keys.some((k) => k in cur)) return;
  const drafts = { ...cur };
  for (const k of keys) delete drafts[k];
  draftStore.setState({ drafts });
  saveSoon(KEY, drafts);
}

export async function restoreDrafts(): Promise<void> {
  const saved = await load<Record<string, string>>(KEY);
  if (saved && typeof saved === 'object') draftStore.setState({ drafts: { ...saved, ...draftStore.getState().drafts } });
}
