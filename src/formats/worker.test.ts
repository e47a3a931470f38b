import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleParseRequest, transferablesOf, type ParseMessage, type ParseRequest } from '../data/parse.worker';
import { deserializeError, FormatError, FormatErrors, serializeError } from './errors';

const demo = (name: string) => readFileSync(new URL(`../../public/demo/${name}`, import.meta.url), 'utf8');

async function run(req: ParseRequest): Promise<{ messages: ParseMessage[]; transfer: Transferable[] }> {
  const messages: ParseMessage[] = [];
  let transfer: Transferable[] = [];
  await handleParseRequest(req, (m, t = []) => {
    messages.push(m);
    if (m.type !== 'progress') transfer = t;
  });
  return { messages, transfer };
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/demo/manifest.json') res.end(demo('manifest.json'));
    else if (path === '/demo/motion.proposals.json') res.end(demo('motion.proposals.json'));
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('parse worker (handler, without a Worker)', () => {
  it('fetches a manifest, reports progress, resolves URLs', async () => {
    const { messages } = await run({ kind: 'manifest', input: { url: `${base}/demo/manifest.json` } });
    const last = messages.at(-1)!;
    expect(last.type).toBe('result');
    if (last.type !== 'result' || last.kind !== 'manifest') throw new Error('no manifest');
    expect(last.manifest.videos[2]!.proposals).toBe(`${base}/demo/motion.proposals.json`);
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', loaded: demo('manifest.json').length, total: demo('manifest.json').length });
  });

  it('fetches proposals and lists every keyframe buffer for transfer, once', async () => {
    const { messages, transfer } = await run({ kind: 'proposals', input: { url: `${base}/demo/motion.proposals.json` } });
    const last = messages.at(-1)!;
    if (last.type !== 'result' || last.kind !== 'proposals') throw new Error('no proposals');
    expect(last.annotations[0]!.video.src).toBe(`${base}/demo/motion.mp4`);
    expect(transfer).toHaveLength(last.annotations[0]!.tracks.length * 4);
    expect(new Set(transfer).size).toBe(transfer.length);
    expect(transferablesOf(last.annotations)).toEqual(transfer);
    // Transferable through structured clone.
    const cloned = structuredClone(last.annotations, { transfer: transfer as ArrayBuffer[] });
    expect(cloned[0]!.tracks[0]!.keys.frames.length).toBeGreaterThan(0);
  });

  it('reads a File; a bad one comes back as a serialisable FormatError', async () => {
    const good = new File([demo('cockatoo.proposals.json')], 'cockatoo.proposals.json');
    const ok = (await run({ kind: 'proposals', input: { file: good } })).messages.at(-1)!;
    expect(ok.type === 'result' && ok.kind === 'proposals' && ok.annotations[0]!.video.src).toBe('cockatoo.mp4');

    const bad = new File(['{"format":"imove-proposals/1"}\n{"format":"nope"}\n'], 'b.jsonl');
    const msg = (await run({ kind: 'proposals', input: { file: bad } })).messages.at(-1)!;
    if (msg.type !== 'error') throw new Error('expected an error');
    const e = deserializeError(structuredClone(msg.error));
    expect(e).toBeInstanceOf(FormatErrors);
    const fe = e as FormatError;
    expect(fe.all.map((x) => [x.file, x.line, x.path])).toEqual([
      ['b.jsonl', 1, '$.video'],
      ['b.jsonl', 2, '$.format'],
    ]);
    expect(fe.message).toBe(msg.error.message);
  });

  it('an HTTP error is a plain Error naming the file and status', async () => {
    const msg = (await run({ kind: 'proposals', input: { url: `${base}/demo/gone.jsonl` } })).messages.at(-1)!;
    if (msg.type !== 'error') throw new Error('expected an error');
    const e = deserializeError(msg.error);
    expect(e).not.toBeInstanceOf(FormatError);
    expect(e.message).toBe(`Could not load gone.jsonl: HTTP 404 Not Found (${base}/demo/gone.jsonl)`);
  });

  it('serializeError round-trips a single FormatError', () => {
    const e = new FormatError({ file: 'a.json', line: 3, column: 7, path: '$.x', detail: 'bad' });
    const back = deserializeError(structuredClone(serializeError(e))) as FormatError;
    expect(back).toBeInstanceOf(FormatError);
    expect(back).not.toBeInstanceOf(FormatErrors);
    expect([back.file, back.line, back.column, back.path, back.detail, back.message]).toEqual(['a.json', 3, 7, '$.x', 'bad', 'a.json line 3, $.x: bad']);
  });
});
