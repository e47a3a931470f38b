/**
 * A small, seeded, deterministic input mutator for fuzzing the file readers (test utility; no
 * dependencies, no I/O, no Math.random).
 *
 *   import { mutations, mutate } from './fuzz/mutate';
 *
 *   for (const m of mutations(1234, validText, 'json', 3000)) {
 *     // m.text: the mutated input; m.seed: reproduces it alone; m.ops: what was done, for messages
 *     try { read(m.text) } catch (e) { ... }
 *   }
 *   mutate(m.seed, validText, 'json')   // → the same { text, ops } again, for a failing case
 *
 * Kinds:
 *   'text' — byte-level damage: delete / insert / duplicate / swap ranges, flip a character,
 *            truncate, random unicode (lone surrogate halves, NUL, BOM, U+2028), CR / LF / CRLF
 *            changes, very long lines, odd numbers in place of a digit run.
 *   'json' — mostly structure-aware: parse (a JSON text, or one line of a JSONL text), change one to
 *            three nodes (null, wrong type, "NaN", 1e308, 1e400, -0, -1, huge / fractional numbers,
 *            empty or 10,000-deep arrays and objects, duplicate keys, `__proto__` / `constructor`
 *            keys, a removed key, x1↔x2 of a box, values swapped between nodes, every number under
 *            a node scaled by 1e9 or 1e300, …), stringify;
 *            sometimes followed by text damage. Falls back to 'text' if the input is not JSON.
 *   'csv'  — comma-separated lines (MOT): a cell becomes '', 'NaN', '1e400', '-1', a float where an
 *            int is expected, …; extra / missing columns; lines duplicated, dropped, swapped;
 *            separators changed; sometimes followed by text damage.
 *
 * The same (seed, input, kind) always gives the same output. mutations(seed, …) derives one seed
 * per mutation from `seed` and the mutation's index, so a failure is reproduced by its own seed.
 */

export type MutationKind = 'text' | 'json' | 'csv';

export interface Mutation {
  /** Position in the sequence. */
  index: number;
  /** Seed that reproduces this mutation alone: mutate(seed, input, kind). */
  seed: number;
  /** Short names of the operations applied, in order (for failure messages). */
  ops: string[];
  text: string;
}

export type Rng = () => number;

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed of mutation `index` of a run: well mixed, so neighbouring indices are unrelated. */
export function seedOf(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** `count` mutations of `input`, deterministic in `seed`. */
export function* mutations(seed: number, input: string, kind: MutationKind, count: number): Generator<Mutation> {
  for (let index = 0; index < count; index++) {
    const s = seedOf(seed, index);
    const { text, ops } = mutate(s, input, kind);
    yield { index, seed: s, ops, text };
  }
}

/** One mutation of `input`. */
export function mutate(seed: number, input: string, kind: MutationKind): { text: string; ops: string[] } {
  const r = new R(mulberry32(seed));
  const ops: string[] = [];
  let text = input;
  if (kind === 'json') {
    const roll = r.next();
    if (roll < 0.75) {
      const t = mutateJson(r, input, ops);
      if (t !== undefined) {
        text = t;
        if (roll < 0.15) text = textOps(r, text, ops, r.int(1, 2));
        return { text, ops };
      }
    }
  } else if (kind === 'csv') {
    text = mutateCsv(r, input, ops);
    if (r.next() < 0.2) text = textOps(r, text, ops, 1);
    return { text, ops };
  }
  return { text: textOps(r, text, ops, r.int(1, 3)), ops };
}

// ---------------------------------------------------------------------------------------------
// Randomness helpers

class R {
  constructor(readonly next: Rng) {}
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A range length: mostly a few characters, sometimes a large share of the text. */
  len(max: number): number {
    if (max <= 0) return 0;
    const x = this.next();
    if (x < 0.6) return Math.min(max, this.int(1, 4));
    if (x < 0.9) return Math.min(max, this.int(1, 64));
    return this.int(1, Math.max(1, Math.floor(max / 2)));
  }
}

// ---------------------------------------------------------------------------------------------
// Text

/** Deep enough that a recursive reader overflows the stack (V8's default is ~10k frames). */
export const DEEP = 10_000;
const LONG = 100_000;

const ODD_CHARS = ['\u0000', '\ufeff', '\ud800', '\udfff', '\ud83d', '\u2028', '\u2029', '\u00a0', '\uffff', '\u0301', '\r', '\n', '\t', '\u001f', '\u007f', 'é', '😀', '\\', '"', "'", ',', ':', '{', '}', '[', ']', '=', '-', '.', 'e', '0', '9', ' '];
const ODD_NUMBERS = ['', 'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '1e308', '-1', '-0', '0', '1.5', '0.5', '2147483648', '4294967296', '9007199254740993', '99999999999999999999', '1e9', '0x10', '1_000', ' 1 ', '1e-400', '+1', '.5', '5.', '١٢'];

function randomUnicode(r: R): string {
  const x = r.next();
  if (x < 0.5) return r.pick(ODD_CHARS);
  if (x < 0.8) return String.fromCharCode(r.int(0, 0xffff));
  return String.fromCodePoint(r.int(0x10000, 0x10ffff));
}

function textOps(r: R, input: string, ops: string[], count: number): string {
  let t = input;
  for (let i = 0; i < count; i++) t = textOp(r, t, ops);
  return t;
}

function textOp(r: R, t: string, ops: string[]): string {
  const n = t.length;
  const at = () => r.int(0, n);
  const op = r.int(0, 15);
  switch (op) {
    case 0: {
      const p = at();
      ops.push('delete');
      return t.slice(0, p) + t.slice(p + r.len(n - p));
    }
    case 1: {
      const p = at();
      let s = '';
      for (let k = r.len(16); k > 0; k--) s += randomUnicode(r);
      ops.push('insert');
      return t.slice(0, p) + s + t.slice(p);
    }
    case 2: {
      const p = at();
      const q = p + r.len(n - p);
      ops.push('duplicate');
      return t.slice(0, q) + t.slice(p, q) + t.slice(q);
    }
    case 3: {
      // Swap two ranges [a, a+l) and [b, b+l) with a+l <= b.
      if (n < 2) return t;
      const l = r.len(Math.floor(n / 2));
      const a = r.int(0, n - 2 * l);
      const b = r.int(a + l, n - l);
      ops.push('swap ranges');
      return t.slice(0, a) + t.slice(b, b + l) + t.slice(a + l, b) + t.slice(a, a + l) + t.slice(b + l);
    }
    case 4: {
      if (n === 0) return t;
      const p = r.int(0, n - 1);
      ops.push('flip char');
      return t.slice(0, p) + String.fromCharCode(t.charCodeAt(p) ^ (1 << r.int(0, 15))) + t.slice(p + 1);
    }
    case 5:
      ops.push('truncate');
      return t.slice(0, r.int(0, Math.max(0, n - 1)));
    case 6: {
      const p = at();
      ops.push('unicode');
      return t.slice(0, p) + randomUnicode(r) + t.slice(p);
    }
    case 7: {
      const which = r.int(0, 4);
      ops.push(['LF→CRLF', 'LF→CR', 'drop LF', 'CRLF→LF', 'LF→LFLF'][which]!);
      if (which === 0) return t.replace(/\n/g, '\r\n');
      if (which === 1) return t.replace(/\n/g, '\r');
      if (which === 2) return t.replace(/\n/g, '');
      if (which === 3) return t.replace(/\r\n/g, '\n');
      return t.replace(/\n/g, '\n\n');
    }
    case 8:
      ops.push('BOM');
      return r.chance(0.7) ? `\ufeff${t}` : (() => {
        const p = at();
        return `${t.slice(0, p)}\ufeff${t.slice(p)}`;
      })();
    case 9: {
      const p = at();
      const fill = r.pick(['x', ' ', '0', '9', '[', '{', '"', ',', '\t', 'é']);
      const s = fill.repeat(r.chance(0.5) ? LONG : r.int(1000, 20_000));
      ops.push(`long line (${JSON.stringify(fill)})`);
      return t.slice(0, p) + s + t.slice(p);
    }
    case 10: {
      // A run of digits (a number, most likely) becomes an odd one.
      const runs = [...t.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
      if (runs.length === 0) return t;
      const m = r.pick(runs);
      const s = r.pick(ODD_NUMBERS);
      ops.push(`number→${JSON.stringify(s)}`);
      return t.slice(0, m.index) + s + t.slice(m.index + m[0].length);
    }
    case 11: {
      const p = at();
      ops.push('NUL');
      return `${t.slice(0, p)}\u0000${t.slice(p)}`;
    }
    case 12: {
      const p = at();
      const d = r.chance(0.5) ? DEEP : r.int(100, 2000);
      const open = r.pick(['[', '{"a":', '[{"a":']);
      ops.push(`deep ${JSON.stringify(open)}×${d}`);
      return t.slice(0, p) + open.repeat(d) + t.slice(p);
    }
    case 13: {
      // Repeat the whole text: a second value after the first, or twice the lines.
      ops.push('repeat all');
      return t + r.pick(['', '\n', ' ', ',']) + t;
    }
    case 14: {
      const p = at();
      const s = r.pick(['null', 'true', '""', '{}', '[]', '-', '1e', '0.', '"\\u12"', '"\\x"', '"\\ud800"', 'NaN', '//', '/*', '\\']);
      ops.push(`insert ${s}`);
      return t.slice(0, p) + s + t.slice(p);
    }
    default: {
      if (n === 0) return t;
      const p = r.int(0, n - 1);
      ops.push('delete char');
      return t.slice(0, p) + t.slice(p + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

const isContainer = (v: Json): v is Json[] | { [k: string]: Json } => v !== null && typeof v === 'object';

/**
 * Raw JSON texts that JSON.stringify cannot write (or would overflow writing): placed in the tree
 * as marker strings, swapped for the raw text after stringify.
 */
class Raws {
  private readonly list: string[] = [];
  private readonly tag: string;
  constructor(r: R) {
    this.tag = `\u2063fuzz${r.int(0, 1e9)}\u2063`;
  }
  add(raw: string): string {
    this.list.push(raw);
    return `${this.tag}${this.list.length - 1}${this.tag}`;
  }
  apply(text: string): string {
    if (this.list.length === 0) return text;
    const re = new RegExp(`"${this.tag}(\\d+)${this.tag}"`, 'g');
    return text.replace(re, (_, i: string) => this.list[Number(i)]!);
  }
}

function deepArray(d: number): string {
  return '['.repeat(d) + ']'.repeat(d);
}
function deepObject(d: number): string {
  return '{"a":'.repeat(d) + '1' + '}'.repeat(d);
}

/** The value at `path`. */
function get(root: Json, path: Path): Json {
  let v = root;
  for (const p of path) v = (v as Record<string | number, Json>)[p]!;
  return v;
}

/** A copy of `root` with the value at `path` replaced by f(old); only the containers on the path are copied. */
function update(root: Json, path: Path, f: (v: Json) => Json): Json {
  if (path.length === 0) return f(root);
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = root.slice();
    copy[head as number] = update(root[head as number]!, rest, f);
    return copy;
  }
  const obj = root as { [k: string]: Json };
  const copy: { [k: string]: Json } = {};
  for (const k of Object.keys(obj)) setOwn(copy, k, k === head ? update(obj[k]!, rest, f) : obj[k]!);
  return copy;
}

/** `o[k] = v` that stays an own property even for k = "__proto__". */
function setOwn(o: { [k: string]: Json }, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Every path in the tree (iterative: the tree may already be deep). */
function allPaths(root: Json, limit = 20_000): Path[] {
  const out: Path[] = [];
  const stack: Path[] = [[]];
  while (stack.length && out.length < limit) {
    const p = stack.pop()!;
    out.push(p);
    const v = get(root, p);
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push([...p, i]);
    else if (isContainer(v)) for (const k of Object.keys(v).reverse()) stack.push([...p, k]);
  }
  return out;
}

/** A random node: half the time uniformly, half the time by a walk from the root that favours shallow nodes. */
function pickPath(r: R, root: Json, paths: Path[]): Path {
  if (r.chance(0.5)) return r.pick(paths);
  const p: Path = [];
  let v = root;
  while (isContainer(v) && !r.chance(0.3)) {
    const keys: Array<string | number> = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    if (keys.length === 0) break;
    const k = r.pick(keys);
    p.push(k);
    v = (v as Record<string | number, Json>)[k]!;
  }
  return p;
}

function replacement(r: R, raws: Raws, old: Json): Json {
  const x = r.int(0, 27);
  switch (x) {
    case 0:
      return null;
    case 1:
      return r.pick([true, false]);
    case 2:
      return '';
    case 3:
      return r.pick(['NaN', 'Infinity', '-Infinity', 'null', 'undefined', '1', '-1', '1e400', '0x1F', ' 12 ']);
    case 4:
      return r.pick([1e308, -1e308, Number.MAX_VALUE, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 32, 1e9, 1e12, 1e21]);
    case 5:
      return r.pick([-1, -(2 ** 31), -1e9, -0.5]);
    case 6:
      return raws.add(r.pick(['1e400', '-1e400', '1e-400', '-0', '-0.0', '0e0', '1E308', '123456789012345678901234567890']));
    case 7:
      return r.pick([0, 1, 0.5, 1.5, 2.000001]);
    case 8:
      return [];
    case 9:
      return {};
    case 10:
      return raws.add(r.chance(0.7) ? deepArray(DEEP) : deepObject(DEEP));
    case 11:
      return 'x'.repeat(r.chance(0.5) ? 100_000 : 200);
    case 12:
      return r.pick(['\ud800', '\udc00x', '\u0000', '\ufeff', '😀', '../../etc/passwd', 'javascript:alert(1)', '%zz', 'http://[::1', '//evil.example/x', '__proto__', 'constructor', 'toString']);
    case 13:
      return [old, old];
    case 14:
      return { value: old };
    case 15:
      return [old];
    case 16:
      if (typeof old === 'number') return r.pick([old + 1, old - 1, -old, old * 1e6, old + 0.5, old * 2, old / 3, Math.floor(old) + 1e9]);
      return 0;
    case 17:
      if (typeof old === 'string') return r.pick([old + old, old.slice(1), old.toUpperCase(), ` ${old}`, `${old}\n`]);
      return String(old);
    case 18:
      if (typeof old === 'number') return String(old);
      if (typeof old === 'string' && old !== '' && Number.isFinite(Number(old))) return Number(old);
      return 42;
    case 19:
      return [1, 2, 3, 4];
    case 20:
      return r.pick([[0, 0, 0, 0], [10, 10, 5, 5], [1, 2, 3], [1, 2, 3, 4, 5], [null, 1, 2, 3], ['1', '2', '3', '4'], [1e308, 1e308, 1e308, 1e308], [-1e6, -1e6, 1e6, 1e6]]);
    case 21:
      return raws.add(deepArray(r.int(50, 500)));
    case 22:
      if (Array.isArray(old)) return old.length > 0 ? Array.from({ length: r.int(1, 3000) }, () => old[0]!) : [null];
      return old;
    default:
      return containerOp(r, raws, old);
  }
}

/** Changes inside an array or object (anything else: replaced by null). */
function containerOp(r: R, raws: Raws, v: Json): Json {
  if (Array.isArray(v)) {
    const a = v.slice();
    const i = r.int(0, Math.max(0, a.length - 1));
    switch (r.int(0, 7)) {
      case 0:
        a.splice(i, 1);
        return a;
      case 1:
        a.splice(i, 0, a[i] ?? null);
        return a;
      case 2: {
        const j = r.int(0, Math.max(0, a.length - 1));
        [a[i], a[j]] = [a[j] ?? null, a[i] ?? null];
        return a;
      }
      case 3:
        return a.reverse();
      case 4:
        a.push(r.pick([null, 'x', 1, [], {}, -1]));
        return a;
      case 5:
        return a.slice(0, i);
      case 6:
        // Box-shaped: swap x1↔x2 or y1↔y2 (and anything of length ≥ 4 alike).
        if (a.length >= 4) {
          const k = r.int(0, 1);
          [a[k], a[k + 2]] = [a[k + 2]!, a[k]!];
        }
        return a;
      default:
        a.length = 0;
        return a;
    }
  }
  if (isContainer(v)) {
    const keys = Object.keys(v);
    const k = keys.length ? r.pick(keys) : 'x';
    switch (r.int(0, 6)) {
      case 0: {
        // A required key, most likely, goes missing.
        const o = { ...v };
        delete o[k];
        return o;
      }
      case 1: {
        // Duplicate key: JSON.parse keeps the last one.
        const dup = `{${JSON.stringify(k)}:${r.pick(['null', '"dup"', '-1', '[]', '{}', '1e400'])},${JSON.stringify(v).slice(1)}`;
        return raws.add(keys.length ? dup : '{"x":1,"x":2}');
      }
      case 2: {
        const o = { ...v };
        const bad = r.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']);
        const val = r.pick(['{"format":"x","id":"p","polluted":true}', 'null', '1', '[]', '"x"', '{}']);
        // An own "__proto__" key can only be written raw (assigning it would set the prototype).
        const body = JSON.stringify(o).slice(1);
        return raws.add(`{${JSON.stringify(bad)}:${val}${body === '}' ? '}' : `,${body}`}`);
      }
      case 3: {
        const o: { [key: string]: Json } = {};
        for (const key of keys) setOwn(o, key === k ? r.pick([k.toUpperCase(), `${k} `, `${k}_`, '']) : key, v[key]!);
        return o;
      }
      case 4:
        return { ...v, [r.pick(['extra', 'unknown', 'x', '$ref'])]: r.pick([null, 1, 'x', [], {}]) };
      case 5: {
        const o = { ...v };
        if (keys.length >= 2) {
          const k2 = r.pick(keys);
          [o[k], o[k2]] = [v[k2]!, v[k]!];
        }
        return o;
      }
      default:
        return Object.fromEntries(Object.entries(v).reverse());
    }
  }
  return null;
}

function jsonOp(r: R, raws: Raws, root: Json, ops: string[]): Json {
  const paths = allPaths(root);
  const p = pickPath(r, root, paths);
  const where = `$${p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
  if (r.chance(0.1)) {
    // Swap (or copy) the values of two nodes: start_frame ↔ end_frame, an id into a number, …
    const q = r.pick(paths);
    const a = get(root, p);
    const b = get(root, q);
    const prefix = (x: Path, y: Path) => x.length <= y.length && x.every((s, i) => s === y[i]);
    if (prefix(p, q) || prefix(q, p)) return root;
    ops.push(`swap ${where}`);
    return update(update(root, p, () => b), q, () => a);
  }
  if (r.chance(0.1)) {
    // Every number under a node scaled alike, so the relations between them still hold (start
    // before end, box inside the frame) while the magnitudes leave the range a reader planned for.
    const k = r.pick([1e9, 1e12, 1e300, 1e-300, -1, 0.5, 1e6]);
    ops.push(`scale ${where} ×${k}`);
    return update(root, p, (v) => scaleAll(v, k));
  }
  const old = get(root, p);
  const container = isContainer(old) && r.chance(0.5);
  const out = update(root, p, (v) => (container ? containerOp(r, raws, v) : replacement(r, raws, v)));
  ops.push(`${container ? 'edit' : 'replace'} ${where.length > 60 ? `${where.slice(0, 60)}…` : where}`);
  return out;
}

/** A copy with every number multiplied by k (iterative: the tree may be deep). */
function scaleAll(v: Json, k: number): Json {
  if (typeof v === 'number') return v * k;
  if (!isContainer(v)) return v;
  const copy = (x: Json[] | { [key: string]: Json }) => (Array.isArray(x) ? x.slice() : { ...x });
  const top = copy(v);
  const stack: Array<Json[] | { [key: string]: Json }> = [top];
  while (stack.length) {
    const c = stack.pop()! as { [key: string]: Json };
    for (const key of Object.keys(c)) {
      const x = c[key]!;
      if (typeof x === 'number') setOwn(c, key, x * k);
      else if (isContainer(x)) {
        const y = copy(x);
        setOwn(c, key, y);
        stack.push(y);
      }
    }
  }
  return top;
}

function mutateJson(r: R, input: string, ops: string[]): string | undefined {
  const raws = new Raws(r);
  const n = r.chance(0.7) ? 1 : r.int(2, 3);
  const parse = (s: string): Json | undefined => {
    try {
      return JSON.parse(s) as Json;
    } catch {
      return undefined;
    }
  };
  const bom = input.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? input.slice(1) : input;
  const whole = parse(body);
  if (whole !== undefined) {
    let root = whole;
    for (let i = 0; i < n; i++) root = jsonOp(r, raws, root, ops);
    const indent = /\n\s/.test(body) ? (r.chance(0.8) ? 2 : undefined) : r.chance(0.1) ? 1 : undefined;
    return bom + raws.apply(JSON.stringify(root, null, indent));
  }
  // JSONL: mutate one line, keep it on one line.
  const lines = body.split('\n');
  const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => parse(l) !== undefined);
  if (candidates.length === 0) return undefined;
  const [line, i] = r.pick(candidates);
  let root: Json = parse(line) as Json;
  for (let k = 0; k < n; k++) root = jsonOp(r, raws, root, ops);
  ops.push(`(line ${i + 1})`);
  lines[i] = raws.apply(JSON.stringify(root));
  if (r.chance(0.1)) {
    lines.splice(r.int(0, lines.length), 0, lines[i]!);
    ops.push('duplicate line');
  }
  return bom + lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CSV

const ODD_CELLS = ['', 'NaN', '1e400', '-1e400', '-1', '0', '-0', '1.5', '0.5', '1e9', '2147483648', '99999999999', '1e308', 'x', ' ', ' 1 ', '0x10', 'Infinity', '1,5', '"1"', '١', '+1', '.5', '1e-400', '\u0000'];

function mutateCsv(r: R, input: string, ops: string[]): string {
  const eol = input.includes('\r\n') ? '\r\n' : '\n';
  const lines = input.split(/\r?\n/);
  const data = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== '');
  const count = r.chance(0.7) ? 1 : r.int(2, 4);
  for (let k = 0; k < count; k++) {
    if (data.length === 0 || lines.length === 0) break;
    const [, li] = r.pick(data);
    const cells = (lines[li] ?? '').split(',');
    const c = r.int(0, Math.max(0, cells.length - 1));
    switch (r.int(0, 11)) {
      case 0:
      case 1:
      case 2: {
        const s = r.pick(ODD_CELLS);
        cells[c] = s;
        ops.push(`line ${li + 1} cell ${c + 1}→${JSON.stringify(s)}`);
        break;
      }
      case 3: {
        const v = Number(cells[c]);
        const s = Number.isFinite(v) ? String(r.pick([v + 0.5, -v, v * 1e6, v + 1, v - 1, v * 1e12])) : '1';
        cells[c] = s;
        ops.push(`line ${li + 1} cell ${c + 1}→${s}`);
        break;
      }
      case 4:
        cells.splice(c, 0, r.pick(['1', '', '-1', 'x']));
        ops.push(`line ${li + 1} extra column`);
        break;
      case 5:
        cells.splice(c, 1);
        ops.push(`line ${li + 1} missing column`);
        break;
      case 6:
        cells.length = r.int(0, cells.length);
        ops.push(`line ${li + 1} cut to ${cells.length} columns`);
        break;
      case 7:
        lines.splice(r.int(0, lines.length), 0, lines[li]!);
        ops.push(`duplicate line ${li + 1}`);
        continue;
      case 8:
        lines.splice(li, 1);
        ops.push(`drop line ${li + 1}`);
        continue;
      case 9: {
        const j = r.int(0, lines.length - 1);
        [lines[li], lines[j]] = [lines[j]!, lines[li]!];
        ops.push(`swap lines ${li + 1}, ${j + 1}`);
        continue;
      }
      case 10: {
        const sep = r.pick([';', '\t', ' ', ', ', ' , ', ',,']);
        lines[li] = cells.join(sep);
        ops.push(`line ${li + 1} separator ${JSON.stringify(sep)}`);
        continue;
      }
      default: {
        const j = r.int(0, Math.max(0, cells.length - 1));
        [cells[c], cells[j]] = [cells[j]!, cells[c]!];
        ops.push(`line ${li + 1} swap cells ${c + 1}, ${j + 1}`);
      }
    }
    lines[li] = cells.join(',');
  }
  return lines.join(eol);
}
