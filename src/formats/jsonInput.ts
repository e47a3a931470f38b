/**
 * Shared plumbing for the JSON readers: JSON/JSONL splitting, syntax errors with line and column,
 * and zod issues turned into located, readable problems.
 */

import type { z } from 'zod';
import { ErrorSink, type PathSeg, type SourceText } from './errors';
import { findSyntaxError, positionsOf } from './jsonScan';

/** One JSON value to validate: the whole file, one JSONL line, or one element of a top-level array. */
export interface JsonRecord {
  value: unknown;
  /** Path of the value within its source text (`[]`, or `[i]` for an element of a top-level array). */
  prefix: PathSeg[];
  source: SourceText;
  /** For messages about the record as a whole ("duplicate id, also line 4"). */
  line: number;
}

/** A short, safe rendering of a value for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array (length ${v.length})`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const NON_WS = /\S/;

/** Where an engine's JSON.parse message says the error is, if it says. */
function engineOffset(text: string, message: string): number | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const line = Number(lc[1]);
    let off = 0;
    for (let l = 1; l < line; l++) {
      const nl = text.indexOf('\n', off);
      if (nl === -1) break;
      off = nl + 1;
    }
    return off + Number(lc[2]) - 1;
  }
  const p = /position (\d+)/.exec(message);
  if (p) return Number(p[1]);
  if (/end of (JSON )?(input|data)/i.test(message)) return text.length;
  return undefined;
}

/** Parse one JSON text; on a syntax error, record it (line, column, readable detail) and return undefined. */
export function parseJsonText(text: string, source: SourceText, sink: ErrorSink, hint = ''): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const engine = e instanceof Error ? e.message : String(e);
    const mine = findSyntaxError(text);
    const offset = mine?.offset ?? engineOffset(text, engine) ?? 0;
    const detail = mine?.detail ?? engine.replace(/,? ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    // The hint (e.g. "name it .jsonl") is for a second value after the first, not for other errors.
    if (!/after the end of the JSON value|non-whitespace character after JSON/.test(detail)) hint = '';
    const [at] = positionsOf(text, [offset]);
    const first = text.search(NON_WS);
    if (first >= 0 && text.charCodeAt(first) === 60 /* < */) hint = ' (this looks like an HTML page, not JSON: is the URL right?)';
    const line = source.firstLine + at!.line - 1;
    sink.addAt([], `not valid JSON at column ${at!.column}: ${detail}${hint}`, line, at!.column);
    return undefined;
  }
}

export type TextKind = 'json' | 'jsonl';

/** .jsonl/.ndjson → JSONL, .json → JSON, anything else: JSONL if the first non-blank line is a complete value. */
export function kindOf(file: string): TextKind | undefined {
  const name = file.split(/[?#]/)[0]!.toLowerCase();
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.json')) return 'json';
  return undefined;
}

/**
 * The records of a JSON or JSONL text. Syntax errors go to the sink (every bad line is reported);
 * records of other lines are still returned so their semantic problems can be reported too.
 */
export function readRecords(rawText: string, file: string, sink: ErrorSink, kind = kindOf(file)): JsonRecord[] {
  const text = stripBom(rawText);
  if (!NON_WS.test(text)) return [];
  if (kind === undefined) {
    // Sniff: if the first non-blank line parses on its own, it is JSONL (a one-line JSON file reads the same).
    const start = text.search(NON_WS);
    const nl = text.indexOf('\n', start);
    const first = text.slice(start, nl === -1 ? text.length : nl);
    try {
      JSON.parse(first);
      kind = 'jsonl';
    } catch {
      kind = 'json';
    }
  }
  if (kind === 'json') {
    const source: SourceText = { text, firstLine: 1 };
    const parsed = parseJsonText(text, source, sink, ' (if this file has one JSON object per line, name it .jsonl)');
    if (!parsed) return [];
    if (Array.isArray(parsed.value)) return parsed.value.map((value, i) => ({ value, prefix: [i], source, line: 1 }));
    return [{ value: parsed.value, prefix: [], source, line: 1 }];
  }
  const out: JsonRecord[] = [];
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    start = end + 1;
    if (!NON_WS.test(line)) continue;
    const source: SourceText = { text: line, firstLine: lineNo };
    const parsed = parseJsonText(line, source, sink);
    if (parsed) out.push({ value: parsed.value, prefix: [], source, line: lineNo });
  }
  return out;
}

/** The value at a path (for "missing" vs "wrong type"). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function expectedWord(e: string): string {
  switch (e) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'boolean':
      return 'true or false';
    default:
      return e;
  }
}

/** Per-parse error map: plain words, and the offending value. */
export const errorMap = (iss: z.core.$ZodRawIssue): string | undefined => {
  const input = iss.input;
  switch (iss.code) {
    case 'invalid_type': {
      const what = expectedWord(String(iss.expected));
      return input === undefined ? `missing (expected ${what})` : `expected ${what}, got ${describeValue(input)}`;
    }
    case 'invalid_value': {
      const values = (iss.values as unknown[]).map((v) => JSON.stringify(v)).join(' or ');
      return `expected ${values}, got ${describeValue(input)}`;
    }
    case 'too_small':
      if (iss.origin === 'string') return 'must not be empty';
      if (iss.origin === 'array') return `needs at least ${String(iss.minimum)} entries`;
      return `must be ${iss.inclusive ? '≥' : '>'} ${String(iss.minimum)}, got ${describeValue(input)}`;
    case 'too_big':
      return `must be ${iss.inclusive ? '≤' : '<'} ${String(iss.maximum)}, got ${describeValue(input)}`;
    case 'unrecognized_keys':
      return `unknown keys ${iss.keys.join(', ')}`;
    default:
      return undefined;
  }
};

/** Report a zod failure, one problem per issue, located in the record's source text. */
export function reportIssues(sink: ErrorSink, rec: JsonRecord, error: z.ZodError): void {
  for (const iss of error.issues) {
    const path = iss.path.filter((p): p is string | number => typeof p !== 'symbol');
    let msg = iss.message;
    if (valueAt(rec.value, path) === undefined && !msg.startsWith('missing')) {
      msg = iss.code === 'custom' ? `missing (${msg})` : 'missing';
    }
    sink.add([...rec.prefix, ...path], msg, rec.source);
  }
}

/** Resolve a URL from a file against the file's own URL; leaves it alone without a usable base. */
export function resolveUrl(ref: string, base: string | undefined): string {
  if (!base) return ref;
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The format tag, checked before anything else: another format's fields would only confuse. */
export function checkFormatTag(sink: ErrorSink, rec: JsonRecord, expected: string, what: string): boolean {
  const v = rec.value;
  if (!isObject(v)) {
    sink.add(rec.prefix, `expected a JSON object (${what}), got ${describeValue(v)}`, rec.source);
    return false;
  }
  const f = v.format;
  if (f === expected) return true;
  const path = [...rec.prefix, 'format'];
  if (f === undefined) sink.add(rec.prefix, `missing "format" (expected "${expected}")`, rec.source);
  else sink.add(path, `unknown format ${describeValue(f)}: this reader understands "${expected}"`, rec.source);
  return false;
}

