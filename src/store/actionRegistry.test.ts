import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionForKey, clearActionsForTest, keyOf, listActions, performAction, registerActions } from './actionRegistry';

const ev = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; code: string }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyOf', () => {
  it('names keys the way the registry spells them', () => {
    expect(keyOf(ev(' '))).toBe('Space');
    expect(keyOf(ev('f'))).toBe('F');
    expect(keyOf(ev('F', { shiftKey: true }))).toBe('Shift+F');
    expect(keyOf(ev('ArrowRight', { altKey: true }))).toBe('Alt+ArrowRight');
    expect(keyOf(ev('z', { metaKey: true }))).toBe('Ctrl+Z');
    expect(keyOf(ev('?', { shiftKey: true }))).toBe('?');
    // macOS Option+F types "ƒ": the physical key still names it.
    expect(keyOf(ev('ƒ', { altKey: true, code: 'KeyF' }))).toBe('Alt+F');
  });
});

describe('registry', () => {
  afterEach(() => clearActionsForTest());
  it('finds an action by any of its keys, performs it, and refuses duplicates', async () => {
    const perform = vi.fn(() => 42);
    registerActions([{ id: 'frame.next', label: 'Next', keys: ['F', 'Alt+ArrowRight'], group: 'Playback', perform }]);
    expect(actionForKey('Alt+ArrowRight')?.id).toBe('frame.next');
    expect(await performAction('frame.next')).toBe(42);
    expect(() => registerActions([{ id: 'frame.next', label: 'x', group: 'g', perform }])).toThrow(/twice/);
    await expect(performAction('nope')).rejects.toThrow(/unknown action/);
    expect(listActions()).toHaveLength(1);
  });
  it('does not run a disabled action', async () => {
    const perform = vi.fn();
    registerActions([{ id: 'a', label: 'a', group: 'g', perform, enabled: () => false }]);
    await performAction('a');
    expect(perform).not.toHaveBeenCalled();
  });
});
