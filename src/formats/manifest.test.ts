import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors';
import { parseManifestText } from './manifest';

function catchError(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

const BASE = 'https://data.example.org/sets/a/manifest.json';

describe('parseManifestText', () => {
  it('reads the demo manifest and resolves URLs against the manifest URL', () => {
    const text = readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8');
    const m = parseManifestText(text, 'manifest.json', 'http://localhost:5173/demo/manifest.json');
    expect(m.name).toBe('iMOVE Studio demo');
    expect(m.videos[0]).toEqual({
      id: 'synthetic',
      title: 'Synthetic street (ground truth known, errors injected)',
      src: 'http://localhost:5173/demo/synthetic.mp4',
      proposals: 'http://localhost:5173/demo/synthetic.proposals.json',
    });
  });

  it('keeps absolute URLs, status, and integer ids; name is optional', () => {
    const text = JSON.stringify({
      format: 'imove-manifest/1',
      videos: [
        { id: 1, src: 'https://cdn.example.org/v1.mp4', status: 'submitted' },
        { id: 'b', src: '../v/b.mp4', proposals: '/p/b.jsonl' },
      ],
    });
    const m = parseManifestText(text, 'manifest.json', BASE);
    expect(m.name).toBeUndefined();
    expect(m.videos).toEqual([
      { id: '1', src: 'https://cdn.example.org/v1.mp4', status: 'submitted' },
      { id: 'b', src: 'https://data.example.org/sets/v/b.mp4', proposals: 'https://data.example.org/p/b.jsonl' },
    ]);
  });

  it('reports each bad entry with line and path', () => {
    const text = JSON.stringify(
      {
        format: 'imove-manifest/1',
        name: 'x',
        videos: [{ id: 'a', src: 'a.mp4' }, { id: 'b' }, { id: 'a', src: 'c.mp4', status: 'done' }, 'd.mp4', { id: '', src: 3 }],
      },
      null,
      2,
    );
    const e = catchError(() => parseManifestText(text, 'manifest.json', BASE));
    expect(e.all.map((x) => [x.path, x.detail])).toEqual([
      ['$.videos[1].src', 'missing (expected a string)'],
      ['$.videos[2].id', 'duplicate video id "a" (also at $.videos[0].id)'],
      ['$.videos[2].status', 'expected one of "todo", "in_progress", "submitted", "approved", "returned", got "done"'],
      ['$.videos[3]', 'expected an object {id, src, …}, got "d.mp4"'],
      ['$.videos[4].id', 'expected a non-empty string (or integer) id, got ""'],
      ['$.videos[4].src', 'expected a string, got 3'],
    ]);
    const lines = text.split('\n');
    expect(e.all[0]!.line).toBe(lines.findIndex((l) => l.includes('"b"')) ); // the `{` of videos[1]
    expect(e.all[2]!.line).toBe(lines.findIndex((l) => l.includes('"done"')) + 1);
    expect(e.message.split('\n')[0]).toBe('6 problems in manifest.json:');
  });

  it('wrong format tag, missing videos, not JSON, empty', () => {
    const e1 = catchError(() => parseManifestText('{"format":"imove-proposals/1","videos":[]}', 'm.json'));
    expect([e1.path, e1.detail]).toEqual(['$.format', 'unknown format "imove-proposals/1": this reader understands "imove-manifest/1"']);
    const e2 = catchError(() => parseManifestText('{"format":"imove-manifest/1"}', 'm.json'));
    expect([e2.path, e2.detail]).toEqual(['$.videos', 'missing (expected an array of videos)']);
    const e3 = catchError(() => parseManifestText('{"format":"imove-manifest/1",\n"videos": [,]}', 'm.json'));
    expect([e3.line, e3.column, e3.path]).toEqual([2, 12, '$']);
    const e4 = catchError(() => parseManifestText(' \n', 'm.json'));
    expect(e4.message).toBe('m.json, $: the manifest is empty');
  });

  it('100,000 entries', () => {
    const videos = Array.from({ length: 100_000 }, (_, i) => ({ id: `v${i}`, title: `Video ${i}`, src: `videos/v${i}.mp4`, proposals: `proposals/v${i}.json` }));
    const text = JSON.stringify({ format: 'imove-manifest/1', name: 'big', videos });
    const m = parseManifestText(text, 'manifest.json', BASE);
    expect(m.videos).toHaveLength(100_000);
    expect(m.videos[99_999]!.proposals).toBe('https://data.example.org/sets/a/proposals/v99999.json');
  });
});

describe('manifest URL resolution', () => {
  it('the fast path agrees with new URL()', () => {
    const refs = ['a.mp4', 'v/a.mp4', 'v//a.mp4', 'a-b_c~d.mp4', './a.mp4', 'x/../a.mp4', 'x/./a.mp4', '..', 'a b.mp4', 'é.mp4', 'a%20b.mp4', '/abs.mp4', '//host/x.mp4', 'http://h/x.mp4', 'a?x=1', 'a#t', 'C:/x', 'a\\b.mp4', 'x/..', 'x/.'];
    for (const base of [BASE, 'https://h.org/dir/', 'https://h.org', 'file:///data/m.json']) {
      const text = JSON.stringify({ format: 'imove-manifest/1', videos: refs.map((src, i) => ({ id: String(i), src })) });
      const m = parseManifestText(text, 'm.json', base);
      expect(m.videos.map((v) => v.src)).toEqual(refs.map((r) => new URL(r, base).href));
    }
  });
});
