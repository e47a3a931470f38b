/**
 * Fuzz the interchange readers (CVAT for video XML, Label Studio video JSON, YouTube-VIS) with
 * thousands of mutated inputs grown from valid ones. Each input must either throw a FormatError
 * naming the file, or return annotations that keep the model's invariants, and that our own writer
 * turns into a file the reader reads back to the same boxes (so what we import we can export).
 *
 * JSON inputs use the shared mutator (./mutate). XML gets a few structure-aware operations of its
 * own here (attribute values, element names, whole lines), since the shared one knows only text,
 * JSON and CSV; its text damage is used too. FUZZ_SEED / FUZZ_SCALE as in readers.fuzz.test.ts.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxAt } from '../../model/keyframes';
import type { Annotation, Track } from '../../model/types';
import { parseCvatVideo, writeCvatVideo } from '../cvat';
import { deserializeError, fileLabel, FormatError, serializeError } from '../errors';
import { parseLabelStudioVideo, writeLabelStudioVideo, type LabelStudioOptions } from '../labelStudio';
import { parseYoutubeVis, writeYoutubeVis } from '../youtubeVis';
import { assertAnnotationInvariants } from './invariants';
import { mulberry32, mutate, mutations, seedOf, type MutationKind } from './mutate';

const RUN_SEED = Number(process.env.FUZZ_SEED ?? 20240607);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const n = (k: number) => Math.round(k * SCALE);
const testdata = path.resolve(import.meta.dirname, '..', 'testdata');
const read = (...p: string[]) => readFileSync(path.join(...p), 'utf8');
const keysOf = (t: Track) => t.keys;

// ---------------------------------------------------------------------------------------------
// XML mutations

const ODD_VALUES = ['', ' ', 'NaN', '-1', '-0', '0', '1', '2', '0.5', '1e400', '1e308', '-1e308', '2147483647', '2147483648', '9'.repeat(30), 'abc', '1,5', '0x10', ' 12 ', '&amp;', '&#0;', '&#x1F600;', '&bogus;', '&lt;', 'true', 'step=0', 'step=-3', 'step=1000000000'];
const ODD_NAMES = ['box', 'points', 'polygon', 'polyline', 'skeleton', 'track', 'image', 'tag', 'meta', 'task', 'start_frame', 'stop_frame', 'frame_filter', 'size', 'original_size', 'width', 'annotations', '__proto__', 'constructor', 'a:b'];

function xmlMutate(seed: number, input: string): { text: string; ops: string[] } {
  const rnd = mulberry32(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const ops: string[] = [];
  let t = input;
  const times = 1 + int(3);
  for (let k = 0; k < times; k++) {
    const roll = rnd();
    if (roll < 0.1) {
      const damaged = mutate(int(2 ** 31), t, 'text');
      t = damaged.text;
      ops.push(...damaged.ops);
      continue;
    }
    // The lookbehind keeps this linear: without it a long run of word characters (a text op's long line) is quadratic.
    const attrs = [...t.matchAll(/(?<![\w:])([\w:]+)="([^"]*)"/g)];
    const texts = [...t.matchAll(/>([^<]+)</g)];
    const lines = t.split('\n');
    if (roll < 0.45 && attrs.length) {
      const m = pick(attrs);
      const v = rnd() < 0.3 ? String(Number(m[2]) + pick([-1000, -20, -1, 1, 3, 50, 1e6])) : pick(ODD_VALUES);
      t = t.slice(0, m.index) + `${m[1]}="${v}"` + t.slice(m.index + m[0].length);
      ops.push(`attr ${m[1]}=${JSON.stringify(v)}`);
    } else if (roll < 0.55 && attrs.length) {
      const m = pick(attrs);
      t = t.slice(0, m.index) + t.slice(m.index + m[0].length);
      ops.push(`drop attr ${m[1]}`);
    } else if (roll < 0.65 && texts.length) {
      const m = pick(texts);
      const v = pick(ODD_VALUES);
      t = t.slice(0, m.index + 1) + v + t.slice(m.index + 1 + m[1]!.length);
      ops.push(`text ${JSON.stringify(v)}`);
    } else if (roll < 0.75) {
      const names = [...t.matchAll(/<\/?([\w:]+)/g)];
      if (!names.length) continue;
      const m = pick(names);
      const to = pick(ODD_NAMES);
      // Rename every tag of that name, so the document stays well-formed.
      t = t.replace(new RegExp(`(</?)${m[1]}(?=[\\s/>])`, 'g'), `$1${to}`);
      ops.push(`rename <${m[1]}> → <${to}>`);
    } else {
      const i = int(lines.length);
      const j = int(lines.length);
      const what = pick(['dup', 'drop', 'swap'] as const);
      if (what === 'dup') lines.splice(i, 0, lines[i]!);
      else if (what === 'drop') lines.splice(i, 1);
      else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      t = lines.join(rnd() < 0.1 ? '\r\n' : '\n');
      ops.push(`${what} line ${i + 1}${what === 'swap' ? `↔${j + 1}` : ''}`);
    }
  }
  return { text: t, ops };
}

type Kind = MutationKind | 'xml';

function* inputs(seed: number, input: string, kind: Kind, count: number) {
  if (kind !== 'xml') {
    yield* mutations(seed, input, kind, count);
    return;
  }
  for (let index = 0; index < count; index++) {
    const s = seedOf(seed, index);
    yield { index, seed: s, ...xmlMutate(s, input) };
  }
}

// ---------------------------------------------------------------------------------------------
// The harness

/** Same boxes on every frame (up to the writers' rounding), or an Error saying where not. */
function assertSameShown(a: Annotation, b: Annotation, occluded: boolean): void {
  if (b.tracks.length !== a.tracks.length) throw new Error(`${b.tracks.length} tracks back from ${a.tracks.length}`);
  if (b.video.frameCount !== a.video.frameCount) throw new Error(`frameCount ${b.video.frameCount} back from ${a.video.frameCount}`);
  a.tracks.forEach((t, i) => {
    const u = b.tracks[i]!;
    if (u.category !== t.category) throw new Error(`track ${i}: category ${JSON.stringify(u.category)} back from ${JSON.stringify(t.category)}`);
    for (let f = 0; f <= a.video.frameCount; f++) {
      const x = boxAt(t.keys, f);
      const y = boxAt(u.keys, f);
      if (!x !== !y) throw new Error(`track ${i} frame ${f}: ${x ? 'shown' : 'hidden'} before, ${y ? 'shown' : 'hidden'} after`);
      if (!x || !y) continue;
      x.box.forEach((v, c) => {
        if (!(Math.abs(y.box[c]! - v) <= 2e-3 + 1e-6 * Math.abs(v))) throw new Error(`track ${i} frame ${f}: box[${c}] ${y.box[c]} back from ${v}`);
      });
      if (occluded && x.occluded !== y.occluded) throw new Error(`track ${i} frame ${f}: occluded changed`);
    }
  });
}

/** A few seconds each on an idle machine; the margin is for a busy one (and FUZZ_SCALE). */
const FUZZ_TIMEOUT = 30_000 * SCALE;

/** Round trips are checked on videos short enough to compare frame by frame. */
const ROUND_TRIP_FRAMES = 5000;

interface Outcome {
  failures: string[];
  ok: number;
  rejected: number;
}

function fuzz<T>(name: string, seedText: string, kind: Kind, count: number, file: string, parse: (text: string) => T, check: (r: T) => void, out: Outcome, salt: number): void {
  const label = fileLabel(file);
  for (const m of inputs(RUN_SEED ^ salt, seedText, kind, count)) {
    const report = (what: string) => {
      if (out.failures.length < 12) out.failures.push(`${name}: ${what}\n    reproduce: seed ${m.seed}, kind '${kind}' (run seed ${RUN_SEED}, #${m.index}); ops: ${m.ops.join(', ')}`);
    };
    let result: T;
    try {
      result = parse(m.text);
    } catch (e) {
      if (!(e instanceof FormatError)) report(`threw ${e instanceof Error ? `${e.name}: ${e.message}\n      ${(e.stack ?? '').split('\n').slice(1, 4).join('\n      ')}` : String(e)}`);
      else if (e.file !== label || !e.message.includes(label)) report(`FormatError does not name ${label}: ${e.message.slice(0, 200)}`);
      else if (deserializeError(serializeError(e)).message !== e.message) report(`FormatError changes through serialisation: ${e.message.slice(0, 200)}`);
      else out.rejected++;
      continue;
    }
    try {
      check(result);
      out.ok++;
    } catch (e) {
      report(`returned a result that fails: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function finish(name: string, out: Outcome, started: number): void {
  console.log(`${name}: ${out.ok + out.rejected + out.failures.length}+ inputs, ${out.ok} read, ${out.rejected} rejected, ${(performance.now() - started).toFixed(0)} ms`);
  expect(out.failures, out.failures.join('\n\n')).toEqual([]);
  expect(out.ok, 'some mutations should still be readable').toBeGreaterThan(0);
  expect(out.rejected, 'most mutations should be rejected').toBeGreaterThan(out.ok / 10);
}

// ---------------------------------------------------------------------------------------------
// Seeds

const cvatHand = `<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta>
    <task>
      <name>a &amp; b</name>
      <size>5</size>
      <start_frame>100</start_frame>
      <stop_frame>120</stop_frame>
      <frame_filter>step=5</frame_filter>
      <original_size><width>640</width><height>480</height></original_size>
    </task>
    <source>a.mp4</source>
  </meta>
  <track id="4" label="red &quot;car&quot;">
    <box frame="100" outside="0" occluded="1" keyframe="1" xtl="10" ytl="20" xbr="110" ybr="70" z_order="0"/>
    <box frame="105" outside="0" occluded="0" keyframe="0" xtl="15" ytl="20" xbr="115" ybr="70" z_order="0"/>
    <box frame="110" outside="0" occluded="0" keyframe="1" xtl="20" ytl="20" xbr="120" ybr="70" rotation="30" z_order="0"/>
    <box frame="115" outside="1" occluded="0" keyframe="1" xtl="20" ytl="20" xbr="120" ybr="70" z_order="0"/>
    <box frame="120" outside="0" occluded="0" keyframe="1" xtl="-5" ytl="-5" xbr="5" ybr="5" z_order="0"/>
  </track>
  <track id="5" label="z U k"><points frame="100" outside="0" occluded="0" keyframe="1" points="1,2"/></track>
</annotations>
`;
const cvatSeeds = [
  { name: 'for_video_annotations.xml', text: read(testdata, 'third-party', 'cvat', 'for_video_annotations.xml') },
  { name: 'hand.xml', text: cvatHand },
];
cvatSeeds.push({ name: 'written.xml', text: writeCvatVideo(parseCvatVideo(cvatHand, 'hand.xml').annotation, keysOf) });

const lsOwn = read(testdata, 'label-studio', 'tasks.json');
const lsShared = path.resolve(testdata, '..', '..', '..', '..', 'shared', 'fixtures', 'third-party', 'label-studio', 'ls-video.json');
const lsSeeds: Array<{ name: string; text: string; opts: LabelStudioOptions }> = [
  { name: 'tasks.json', text: lsOwn, opts: { width: 1000, height: 400 } },
  { name: 'tasks.json', text: lsOwn, opts: { task: 102 } },
  { name: 'written.json', text: writeLabelStudioVideo(parseLabelStudioVideo(lsOwn, 'tasks.json', { width: 1000, height: 400 }).annotation, keysOf), opts: {} },
];
if (existsSync(lsShared)) lsSeeds.push({ name: 'ls-video.json', text: read(lsShared), opts: { width: 1280, height: 720 } });

/** The CocoVID sample without its masks and unused categories: mutations should hit boxes, not RLE counts. */
const cocoFull = JSON.parse(read(testdata, 'third-party', 'youtube-vis', 'ann.json')) as { annotations: Array<Record<string, unknown>>; categories: Array<Record<string, unknown>> };
const cocoLean = JSON.stringify({
  ...cocoFull,
  categories: cocoFull.categories.slice(0, 8),
  annotations: cocoFull.annotations.slice(0, 14).map(({ segmentation: _s, ...a }) => a),
});
const nativeHand = JSON.stringify({
  videos: [
    { id: 1, width: 640, height: 480, length: 5, file_names: ['a/0.jpg', 'a/5.jpg', 'a/10.jpg', 'a/15.jpg', 'a/20.jpg'] },
    { id: 2, width: 32, height: 24, length: 2 },
  ],
  annotations: [
    { id: 11, video_id: 1, category_id: 3, iscrowd: 0, bboxes: [null, [10, 20, 30, 40], [12.5, 20, 30, 40], null, [-4, 0, 5, 5]], areas: [null, 1200, 1200, null, 25], segmentations: [null, null, null, null, null] },
    { id: 12, video_id: 2, category_id: 1, iscrowd: 1, bboxes: [[0, 0, 32, 24], null], score: 0.5 },
    { id: 13, video_id: 2, category_id: 1, bboxes: [[1, 1, 2, 2], [1, 1, 3, 3]], score: 0.25 },
  ],
  categories: [
    { id: 1, name: 'person' },
    { id: 3, name: 'giant panda' },
  ],
});
const ytSeeds = [
  { name: 'ann.json', text: cocoLean },
  { name: 'native.json', text: nativeHand },
  { name: 'written.json', text: writeYoutubeVis(parseYoutubeVis(nativeHand, 'native.json').annotations[0]!, keysOf) },
];

// ---------------------------------------------------------------------------------------------

describe('fuzz: the interchange readers survive mutated input', () => {
  it('the XML mutator is deterministic', () => {
    const a = Array.from(inputs(5, cvatHand, 'xml', 100), (m) => m.text);
    expect(Array.from(inputs(5, cvatHand, 'xml', 100), (m) => m.text)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(80);
  });

  it('CVAT for video XML', () => {
    const out: Outcome = { failures: [], ok: 0, rejected: 0 };
    const t0 = performance.now();
    const check = (r: ReturnType<typeof parseCvatVideo>) => {
      assertAnnotationInvariants(r.annotation);
      if (r.annotation.video.frameCount <= ROUND_TRIP_FRAMES) assertSameShown(r.annotation, parseCvatVideo(writeCvatVideo(r.annotation, keysOf), 'out.xml').annotation, true);
    };
    cvatSeeds.forEach((s, i) => {
      const file = `tasks/${s.name}`;
      fuzz(`CVAT ${s.name}`, s.text, 'xml', n(400), file, (t) => parseCvatVideo(t, file), check, out, 900 + i);
      fuzz(`CVAT ${s.name}`, s.text, 'text', n(60), file, (t) => parseCvatVideo(t, file), check, out, 910 + i);
    });
    finish('CVAT', out, t0);
  }, FUZZ_TIMEOUT);

  it('Label Studio video JSON', () => {
    const out: Outcome = { failures: [], ok: 0, rejected: 0 };
    const t0 = performance.now();
    const check = (r: ReturnType<typeof parseLabelStudioVideo>) => {
      assertAnnotationInvariants(r.annotation);
      if (r.annotation.video.frameCount <= ROUND_TRIP_FRAMES) {
        // As the app would: it knows its video's size even when no region carries it.
        const { width, height } = r.annotation.video;
        assertSameShown(r.annotation, parseLabelStudioVideo(writeLabelStudioVideo(r.annotation, keysOf), 'out.json', { width, height }).annotation, false);
      }
    };
    lsSeeds.forEach((s, i) => {
      const file = `export/${s.name}`;
      fuzz(`Label Studio ${s.name}`, s.text, 'json', n(320), file, (t) => parseLabelStudioVideo(t, file, s.opts), check, out, 920 + i);
      fuzz(`Label Studio ${s.name}`, s.text, 'text', n(80), file, (t) => parseLabelStudioVideo(t, file, s.opts), check, out, 930 + i);
    });
    finish('Label Studio', out, t0);
  }, FUZZ_TIMEOUT);

  it('YouTube-VIS (native and CocoVID)', () => {
    const out: Outcome = { failures: [], ok: 0, rejected: 0 };
    const t0 = performance.now();
    const check = (r: ReturnType<typeof parseYoutubeVis>) => {
      for (const a of r.annotations) {
        assertAnnotationInvariants(a);
        if (a.video.frameCount <= ROUND_TRIP_FRAMES) assertSameShown(a, parseYoutubeVis(writeYoutubeVis(a, keysOf), 'out.json').annotations[0]!, false);
      }
    };
    ytSeeds.forEach((s, i) => {
      const file = `vis/${s.name}`;
      fuzz(`YouTube-VIS ${s.name}`, s.text, 'json', n(420), file, (t) => parseYoutubeVis(t, file), check, out, 940 + i);
      fuzz(`YouTube-VIS ${s.name}`, s.text, 'text', n(100), file, (t) => parseYoutubeVis(t, file), check, out, 950 + i);
    });
    finish('YouTube-VIS', out, t0);
  }, FUZZ_TIMEOUT);
});
