/**
 * Fuzz every reader with thousands of mutated inputs grown from valid ones: each must either return
 * a result that keeps the model's invariants, or throw a FormatError naming the file. Anything else
 * (a TypeError, a stack overflow, a RangeError from an array length, a result that breaks an
 * invariant) is a failure, reported with the mutation's seed and an excerpt of the input.
 *
 * Reproduce one failure: mutate(seed, seedInput, kind) with the seed and kind from the message.
 * FUZZ_SEED=… picks another run; FUZZ_SCALE=10 runs ten times as many inputs.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelManifestSchema } from '../../encoder/manifest';
import { deserializeError, fileLabel, FormatError, serializeError } from '../errors';
import { parseManifestText, type Manifest } from '../manifest';
import { parseModelManifestText } from '../modelManifest';
import { parseMot, parseSeqInfo, type SeqInfo } from '../mot';
import { parseProposalsText } from '../proposals';
import { assertAnnotationInvariants, MAX_FRAME_COUNT } from './invariants';
import { mutate, mutations, type Mutation, type MutationKind } from './mutate';

const RUN_SEED = Number(process.env.FUZZ_SEED ?? 20240607);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const thirdParty = path.resolve(root, '..', 'shared', 'fixtures', 'third-party');
const read = (...p: string[]) => readFileSync(path.join(...p), 'utf8');

// ---------------------------------------------------------------------------------------------
// Seeds: small valid inputs. Big ones would spend the time budget on JSON.parse, not on the readers.

type Doc = Record<string, unknown>;

const designExample: Doc = {
  format: 'imove-proposals/1',
  video: { id: 'v001', src: 'videos/v001.mp4', fps: 30, width: 1280, height: 720, frame_count: 300 },
  tags: [{ category: 'dog', score: 0.91 }],
  instances: [
    { id: '3', category: 'dog', score: 0.88, track: { start_frame: 12, boxes: [[412.0, 300.5, 590.0, 512.0], null, [414, 301, 592, 513]], scores: [0.93, null, 0.9] } },
    { id: 4, category: 'ball', track: { start_frame: 297, boxes: [[1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 6]] } },
  ],
  segments: [
    { instance: '3', start_frame: 12, end_frame: 14, caption: 'The brown dog runs from the left edge toward the centre, then stops.', captioner: 'InternVL2-40B' },
    { instance: 4, start_frame: 297, end_frame: 299, caption: 'A ball.' },
  ],
};

/** A shipped demo file cut to its first few boxes per track (and segments that still fit). */
function cutDemo(name: string, boxes: number): Doc {
  const doc = JSON.parse(read(root, 'public', 'demo', name)) as Doc;
  const instances = (doc.instances as Doc[]).slice(0, 3).map((inst) => {
    const track = inst.track as Doc;
    const cut: Doc = { ...track, boxes: (track.boxes as unknown[]).slice(0, boxes) };
    if (Array.isArray(track.scores)) cut.scores = track.scores.slice(0, boxes);
    return { ...inst, track: cut } as Doc;
  });
  const ids = new Set(instances.map((i) => String(i.id)));
  const segments = ((doc.segments as Doc[] | undefined) ?? []).filter((s) => ids.has(String(s.instance))).slice(0, 3);
  return { ...doc, instances, segments };
}

const proposalSeeds: Array<{ name: string; text: string }> = [
  { name: 'v001.proposals.json', text: JSON.stringify(designExample, null, 2) },
  { name: 'cockatoo.proposals.json', text: JSON.stringify(cutDemo('cockatoo.proposals.json', 12)) },
  { name: 'motion.proposals.json', text: JSON.stringify(cutDemo('motion.proposals.json', 8), null, 2) },
  { name: 'two.proposals.json', text: JSON.stringify([designExample, { ...designExample, video: { ...(designExample.video as Doc), id: 'v002' } }]) },
];

const jsonlSeed = [
  designExample,
  { ...cutDemo('synthetic.proposals.json', 6) },
  { format: 'imove-proposals/1', video: { id: 'empty', src: 'e.mp4', fps: 25, width: 64, height: 48, frame_count: 1 } },
]
  .map((d) => JSON.stringify(d))
  .join('\n');

const manifestSeeds = [
  read(root, 'public', 'demo', 'manifest.json'),
  JSON.stringify({
    format: 'imove-manifest/1',
    name: 'mixed',
    videos: [
      { id: 7, src: 'https://cdn.example.org/a b.mp4', proposals: '../p/7.jsonl', status: 'in_progress' },
      { id: 'x', title: 'X', src: 'videos/x.mp4', proposals: '', status: 'approved' },
    ],
  }),
];

const modelsDir = path.join(root, 'public', 'models');
const handModel = JSON.stringify({
  format: 'imove-model/1',
  id: 'mine',
  name: 'My encoder',
  file: 'mine.onnx',
  input: { name: 'x', layout: 'NCHW', width: 224, height: 224, keepAspect: { multiple: 32 }, channels: 'RGB', range: 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  outputs: { embedding: { name: 'emb', size: 512 }, features: { name: 'fm', channels: 64, stride: 8 } },
});
const modelSeeds = [
  handModel,
  ...(existsSync(modelsDir)
    ? readdirSync(modelsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => read(modelsDir, f))
    : []),
];

const seqSeed = '[Sequence]\nname=tiny\nimDir=img1\nframeRate=14\nseqLength=40\nimWidth=640\nimHeight=480\nimExt=.jpg\n';
const motSeeds: Array<{ gt: string; seq: string }> = [
  { gt: ['1,1,17,150,77,191,1,1,1', '2,1,20,148,78,195,1,1,0.2', '4,1,26,146,79,202,1,1,1', '3,7,5,5,10,10,1,3,1', '5,7,5,5,10,10,0,3,1', '40,9,600,400,30,70,1,1,1'].join('\n'), seq: seqSeed },
  { gt: '1,1,415,449,129,269,1,-1,-1,-1\n2,1,416,449,129,269,1,-1,-1,-1\n3,2,10,10,5,5,1,-1,-1,-1\n', seq: seqSeed },
  // As long as a sequence may be: a frame cell scaled to 1e9 is still in range, and must not cost a billion of anything.
  { gt: '1,1,10,10,5,5,1,1,1\n2,1,11,10,5,5,1,1,0.3\n3,2,10,10,5,5,1,1,1\n', seq: seqSeed.replace('seqLength=40', `seqLength=${2 ** 31 - 1}`) },
];
const mot17 = path.join(thirdParty, 'mot17');
if (existsSync(path.join(mot17, 'MOT17-05-gt.txt')) && existsSync(path.join(mot17, 'seqinfo.ini'))) {
  motSeeds.push({ gt: read(mot17, 'MOT17-05-gt.txt').split('\n').slice(0, 60).join('\n'), seq: read(mot17, 'seqinfo.ini') });
}
const seqSeeds = [seqSeed, ...(existsSync(path.join(mot17, 'seqinfo.ini')) ? [read(mot17, 'seqinfo.ini')] : []), '[Sequence]\r\nframeRate=29.97\r\nseqLength=1\r\nimWidth=1\r\nimHeight=1\r\n'];

// ---------------------------------------------------------------------------------------------
// The harness

interface Outcome {
  failures: string[];
  ok: number;
  rejected: number;
  slowest: { ms: number; what: string };
}

/** Where the mutated text first differs from its seed, for a short, useful excerpt. */
function excerpt(seed: string, text: string): string {
  let i = 0;
  while (i < seed.length && i < text.length && seed.charCodeAt(i) === text.charCodeAt(i)) i++;
  const from = Math.max(0, i - 40);
  const s = text.slice(from, i + 80);
  return `${text.length} chars, first change at ${i}: ${from > 0 ? '…' : ''}${JSON.stringify(s)}${i + 80 < text.length ? '…' : ''}`;
}

/**
 * Run `parse` on each mutation and judge it: a returned value must pass `check`; a throw must be a
 * FormatError naming `file` (and survive the worker's serialisation unchanged).
 */
function fuzz<T>(
  name: string,
  seedText: string,
  kind: MutationKind,
  count: number,
  file: string,
  parse: (text: string) => T,
  check: (result: T, text: string) => void,
  out: Outcome,
  seedSalt: number,
): void {
  const label = fileLabel(file);
  const report = (m: Mutation, what: string) => {
    if (out.failures.length < 12) {
      out.failures.push(`${name}: ${what}\n    reproduce: mutate(${m.seed}, <seed>, '${kind}') (run seed ${RUN_SEED}, #${m.index}); ops: ${m.ops.join(', ')}\n    input: ${excerpt(seedText, m.text)}`);
    }
  };
  for (const m of mutations(RUN_SEED ^ seedSalt, seedText, kind, count)) {
    const t0 = performance.now();
    let result: T;
    try {
      result = parse(m.text);
    } catch (e) {
      const ms = performance.now() - t0;
      if (ms > out.slowest.ms) out.slowest = { ms, what: `${name} #${m.index} (${m.ops.join(', ')})` };
      if (!(e instanceof FormatError)) {
        const err = e instanceof Error ? `${e.name}: ${e.message}\n      ${(e.stack ?? '').split('\n').slice(1, 4).join('\n      ')}` : String(e);
        report(m, `threw ${err}`);
      } else if (e.file !== label || !e.message.includes(label)) {
        report(m, `FormatError does not name ${label}: ${e.message.slice(0, 200)}`);
      } else if (deserializeError(serializeError(e)).message !== e.message) {
        report(m, `FormatError changes through the worker's serialisation: ${e.message.slice(0, 200)}`);
      } else out.rejected++;
      continue;
    }
    const ms = performance.now() - t0;
    if (ms > out.slowest.ms) out.slowest = { ms, what: `${name} #${m.index} (${m.ops.join(', ')})` };
    try {
      check(result, m.text);
      out.ok++;
    } catch (e) {
      report(m, `returned a result that breaks an invariant: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function newOutcome(): Outcome {
  return { failures: [], ok: 0, rejected: 0, slowest: { ms: 0, what: '' } };
}

function finish(name: string, out: Outcome, started: number): void {
  const total = out.ok + out.rejected + out.failures.length;
  // A diagnostic, not an assertion: a slow input shows up here long before it freezes a page.
  console.log(`${name}: ${total}+ inputs, ${out.ok} read, ${out.rejected} rejected, ${(performance.now() - started).toFixed(0)} ms; slowest ${out.slowest.ms.toFixed(1)} ms: ${out.slowest.what}`);
  expect(out.failures, out.failures.join('\n\n')).toEqual([]);
  // A mutator that only ever broke the syntax would test nothing but the JSON parser.
  expect(out.ok, 'some mutations should still be readable').toBeGreaterThan(0);
  expect(out.rejected, 'a fair share of mutations should be refused').toBeGreaterThan(out.ok / 10);
}

const n = (k: number) => Math.round(k * SCALE);
// Not a speed assertion (the slowest input is printed for that): room for a loaded 2-core runner.
const TIMEOUT = 60_000 * SCALE;
const stripBom = (t: string) => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);

// ---------------------------------------------------------------------------------------------
// Checks of a returned result, beyond the shared Annotation invariants

function checkProposals(list: ReturnType<typeof parseProposalsText>, text: string, jsonl: boolean): void {
  // All or nothing: one Annotation per record, never a subset.
  const body = stripBom(text);
  let records: number;
  if (jsonl) records = body.split('\n').filter((l) => /\S/.test(l)).length;
  else {
    const v = JSON.parse(body) as unknown;
    records = Array.isArray(v) ? v.length : 1;
  }
  if (list.length !== records) throw new Error(`${list.length} annotations from ${records} records`);
  const ids = new Set<string>();
  for (const a of list) {
    assertAnnotationInvariants(a);
    if (ids.has(a.video.id)) throw new Error(`duplicate video id ${a.video.id}`);
    ids.add(a.video.id);
  }
}

const STATUSES = new Set(['todo', 'in_progress', 'submitted', 'approved', 'returned']);

function checkManifest(m: Manifest, text: string): void {
  const raw = JSON.parse(stripBom(text)) as { videos: unknown[] };
  if (m.videos.length !== raw.videos.length) throw new Error(`${m.videos.length} videos from ${raw.videos.length} entries`);
  if (m.name !== undefined && typeof m.name !== 'string') throw new Error('name is not a string');
  const ids = new Set<string>();
  m.videos.forEach((v, i) => {
    if (!v) throw new Error(`videos[${i}] is missing`);
    if (typeof v.id !== 'string' || v.id === '' || ids.has(v.id)) throw new Error(`videos[${i}].id ${JSON.stringify(v.id)}`);
    ids.add(v.id);
    if (typeof v.src !== 'string' || v.src === '') throw new Error(`videos[${i}].src ${JSON.stringify(v.src)}`);
    if (v.proposals !== undefined && (typeof v.proposals !== 'string' || v.proposals === '')) throw new Error(`videos[${i}].proposals ${JSON.stringify(v.proposals)}`);
    if (v.title !== undefined && typeof v.title !== 'string') throw new Error(`videos[${i}].title`);
    if (v.status !== undefined && !STATUSES.has(v.status)) throw new Error(`videos[${i}].status ${JSON.stringify(v.status)}`);
  });
}

function checkSeqInfo(s: SeqInfo): void {
  for (const k of ['frameRate', 'width', 'height'] as const) if (!(Number.isFinite(s[k]) && s[k] > 0)) throw new Error(`${k} is ${s[k]}`);
  if (!Number.isInteger(s.seqLength) || s.seqLength < 1 || s.seqLength > MAX_FRAME_COUNT) throw new Error(`seqLength is ${s.seqLength}`);
}

function checkModel(m: ReturnType<typeof parseModelManifestText>): void {
  const r = modelManifestSchema.safeParse(m);
  if (!r.success) throw new Error(`does not match the schema: ${r.error.message.slice(0, 200)}`);
  const k = m.input.keepAspect?.multiple;
  if (k && (m.input.width % k || m.input.height % k)) throw new Error(`size ${m.input.width}×${m.input.height} not a multiple of ${k}`);
  if (m.outputs.features?.name === m.outputs.embedding.name) throw new Error('features and embedding share an output');
}

// ---------------------------------------------------------------------------------------------

describe('the mutator', () => {
  it('is deterministic in its seed and changes almost every input', () => {
    for (const kind of ['text', 'json', 'csv'] as const) {
      const input = kind === 'csv' ? motSeeds[0]!.gt : proposalSeeds[0]!.text;
      const a = [...mutations(7, input, kind, 200)];
      const b = [...mutations(7, input, kind, 200)];
      expect(a.map((m) => m.text)).toEqual(b.map((m) => m.text));
      expect(mutate(a[17]!.seed, input, kind).text).toBe(a[17]!.text);
      expect(a.filter((m) => m.text !== input).length).toBeGreaterThan(180);
      expect(new Set(a.map((m) => m.text)).size).toBeGreaterThan(150);
    }
  });
  it('writes 10,000-deep nesting without overflowing', () => {
    const deep = [...mutations(3, proposalSeeds[0]!.text, 'json', 2000)].find((m) => m.text.includes('['.repeat(10_000)));
    expect(deep).toBeDefined();
  });
});

describe('fuzz: every reader survives mutated input', () => {
  it('proposals (.json), as the parse worker calls it', () => {
    const out = newOutcome();
    const t0 = performance.now();
    proposalSeeds.forEach((s, i) => {
      const url = `https://data.example.org/set/${s.name}`;
      fuzz(`proposals ${s.name}`, s.text, i % 2 ? 'text' : 'json', n(450), url, (t) => parseProposalsText(t, url, url), (r, t) => checkProposals(r, t, false), out, 100 + i);
      fuzz(`proposals ${s.name}`, s.text, i % 2 ? 'json' : 'text', n(200), url, (t) => parseProposalsText(t, url, url), (r, t) => checkProposals(r, t, false), out, 200 + i);
    });
    finish('proposals .json', out, t0);
  }, TIMEOUT);

  it('proposals (.jsonl)', () => {
    const out = newOutcome();
    const t0 = performance.now();
    const url = 'https://data.example.org/set/all.proposals.jsonl';
    fuzz('proposals .jsonl', jsonlSeed, 'json', n(1800), url, (t) => parseProposalsText(t, url, url), (r, t) => checkProposals(r, t, true), out, 300);
    fuzz('proposals .jsonl', jsonlSeed, 'text', n(700), url, (t) => parseProposalsText(t, url, url), (r, t) => checkProposals(r, t, true), out, 301);
    finish('proposals .jsonl', out, t0);
  }, TIMEOUT);

  it('dataset manifest', () => {
    const out = newOutcome();
    const t0 = performance.now();
    const url = 'https://data.example.org/set/manifest.json';
    manifestSeeds.forEach((s, i) => {
      fuzz(`manifest #${i}`, s, 'json', n(1000), url, (t) => parseManifestText(t, url, url), checkManifest, out, 400 + i);
      fuzz(`manifest #${i}`, s, 'text', n(300), url, (t) => parseManifestText(t, url, url), checkManifest, out, 410 + i);
    });
    finish('manifest', out, t0);
  }, TIMEOUT);

  it('MOT gt.txt with its seqinfo.ini', () => {
    const out = newOutcome();
    const t0 = performance.now();
    motSeeds.forEach((s, i) => {
      const info = parseSeqInfo(s.seq, 'seqinfo.ini');
      const read = (t: string) => parseMot(t, 'gt.txt', info);
      const check = (r: ReturnType<typeof parseMot>) => {
        assertAnnotationInvariants(r.annotation);
        if (!Number.isInteger(r.ignored) || r.ignored < 0) throw new Error(`ignored ${r.ignored}`);
      };
      fuzz(`MOT #${i}`, s.gt, 'csv', n(800), 'gt.txt', read, check, out, 500 + i);
      fuzz(`MOT #${i}`, s.gt, 'text', n(200), 'gt.txt', read, check, out, 510 + i);
      // A damaged seqinfo.ini with good ground truth: either is refused, or both read.
      fuzz(`MOT #${i} seqinfo`, s.seq, 'text', n(200), 'seqinfo.ini', (t) => parseSeqInfo(t, 'seqinfo.ini'), (seq) => {
        checkSeqInfo(seq);
        try {
          check(parseMot(s.gt, 'gt.txt', seq));
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
        }
      }, out, 520 + i);
    });
    finish('MOT', out, t0);
  }, TIMEOUT);

  it('seqinfo.ini alone', () => {
    const out = newOutcome();
    const t0 = performance.now();
    seqSeeds.forEach((s, i) => fuzz(`seqinfo #${i}`, s, 'text', n(900), 'seqinfo.ini', (t) => parseSeqInfo(t, 'seqinfo.ini'), checkSeqInfo, out, 600 + i));
    finish('seqinfo.ini', out, t0);
  }, TIMEOUT);

  it('encoder model manifest', () => {
    const out = newOutcome();
    const t0 = performance.now();
    // About 2,600 inputs however many models are shipped.
    const each = 2600 / modelSeeds.length;
    modelSeeds.forEach((s, i) => {
      const url = `https://models.example.org/m${i}.json`;
      fuzz(`model #${i}`, s, 'json', n(each * 0.75), url, (t) => parseModelManifestText(t, url), checkModel, out, 700 + i);
      fuzz(`model #${i}`, s, 'text', n(each * 0.25), url, (t) => parseModelManifestText(t, url), checkModel, out, 710 + i);
    });
    finish('model manifest', out, t0);
  }, TIMEOUT);
});
