/**
 * Small JSON scanners used only on the error path: where is the value at a JSON path (to give a
 * line number for a semantic error), and where exactly is a syntax error (engines differ: V8 often
 * gives no position, Safari never does). Valid input never runs these.
 */

import type { PathSeg } from './errors';

export interface TextPos {
  line: number;
  column: number;
  offset: number;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** 1-based line/column for several offsets, in one pass over the text. */
export function positionsOf(text: string, offsets: readonly number[]): TextPos[] {
  const order = offsets.map((_, i) => i).sort((a, b) => offsets[a]! - offsets[b]!);
  const out = new Array<TextPos>(offsets.length);
  let line = 1;
  let lineStart = 0;
  let nl = text.indexOf('\n');
  for (const i of order) {
    const off = Math.max(0, Math.min(offsets[i]!, text.length));
    while (nl !== -1 && nl < off) {
      line++;
      lineStart = nl + 1;
      nl = text.indexOf('\n', nl + 1);
    }
    out[i] = { line, column: off - lineStart + 1, offset: off };
  }
  return out;
}

/**
 * For each path, the position of the deepest value along it that exists in `text` (so a missing
 * field points at its parent object). `undefined` if the text does not even start with a value.
 */
export function locatePaths(text: string, paths: readonly (readonly PathSeg[])[]): (TextPos | undefined)[] {
  const n = text.length;
  const best = new Array<number>(paths.length).fill(-1);
  let pos = 0;

  const ws = () => {
    while (pos < n && isWs(text.charCodeAt(pos))) pos++;
  };
  const skipString = () => {
    pos++; // opening quote
    while (pos < n) {
      const c = text.charCodeAt(pos++);
      if (c === 92) pos++;
      else if (c === 34) return;
    }
  };
  const readString = (): string => {
    const start = pos;
    skipString();
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return text.slice(start + 1, pos - 1);
    }
  };
  const skipValue = () => {
    ws();
    let depth = 0;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        skipString();
        if (depth === 0) return;
      } else if (c === 123 || c === 91) {
        depth++;
        pos++;
      } else if (c === 125 || c === 93) {
        if (depth === 0) return;
        depth--;
        pos++;
        if (depth === 0) return;
      } else if (depth === 0 && (c === 44 || c === 58 || isWs(c))) return;
      else pos++;
    }
  };
  const walk = (depth: number, cands: number[]) => {
    ws();
    if (pos >= n) return;
    for (const i of cands) best[i] = pos;
    const deeper = cands.filter((i) => paths[i]!.length > depth);
    if (deeper.length === 0) return skipValue();
    const c = text.charCodeAt(pos);
    if (c === 123) {
      pos++;
      for (;;) {
        ws();
        if (text.charCodeAt(pos) !== 34) {
          if (text.charCodeAt(pos) === 125) pos++;
          return;
        }
        const key = readString();
        ws();
        if (text.charCodeAt(pos) !== 58) return;
        pos++;
        const m = deeper.filter((i) => paths[i]![depth] === key);
        if (m.length) walk(depth + 1, m);
        else skipValue();
        ws();
        const d = text.charCodeAt(pos);
        if (d === 44) pos++;
        else {
          if (d === 125) pos++;
          return;
        }
      }
    } else if (c === 91) {
      pos++;
      ws();
      if (text.charCodeAt(pos) === 93) {
        pos++;
        return;
      }
      for (let idx = 0; ; idx++) {
        const m = deeper.filter((i) => paths[i]![depth] === idx);
        if (m.length) walk(depth + 1, m);
        else skipValue();
        ws();
        const d = text.charCodeAt(pos);
        if (d === 44) pos++;
        else {
          if (d === 93) pos++;
          return;
        }
      }
    } else skipValue();
  };

  walk(
    0,
    paths.map((_, i) => i),
  );
  const found = best.filter((o) => o >= 0);
  const positions = positionsOf(text, found);
  let k = 0;
  return best.map((o) => (o >= 0 ? positions[k++] : undefined));
}

export interface SyntaxProblem {
  offset: number;
  /** Short, engine-independent description. */
  detail: string;
}

function describeChar(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  const ch = text[pos]!;
  const code = ch.charCodeAt(0);
  if (code < 32) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

/**
 * The first syntax error in `text`, or null if it is valid JSON (one value, whitespace around).
 * Iterative (explicit stack), so deep nesting cannot overflow.
 */
export function findSyntaxError(text: string): SyntaxProblem | null {
  const n = text.length;
  let pos = 0;
  const stack: number[] = []; // 123 object, 91 array
  const fail = (detail: string, at = pos): SyntaxProblem => ({
    offset: at,
    detail: at >= n ? `unexpected end of input (the text stops in the middle of a value: truncated?)` : detail,
  });
  const ws = () => {
    while (pos < n && isWs(text.charCodeAt(pos))) pos++;
  };
  const scanString = (): SyntaxProblem | null => {
    pos++;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        pos++;
        return null;
      }
      if (c < 32) return fail(`${describeChar(text, pos)} inside a string (strings must be on one line; use \\n)`);
      if (c === 92) {
        const e = text.charCodeAt(pos + 1);
        if (e === 117) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) return fail('bad \\u escape in string', pos);
          pos += 6;
        } else if ('"\\/bfnrt'.includes(text[pos + 1] ?? 'x')) pos += 2;
        else return fail(`bad escape \\${text[pos + 1] ?? ''} in string`, pos);
      } else pos++;
    }
    return fail('');
  };
  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  // What the loop below reads next. Opening a container only pushes onto the stack and says what
  // comes first inside it, so nesting depth costs heap, never call stack.
  type Next = 'value' | 'key' | 'done' | SyntaxProblem;
  const value = (): Next => {
    ws();
    if (pos >= n) return fail('');
    const c = text.charCodeAt(pos);
    if (c === 34) return scanString() ?? 'done';
    if (c === 123 || c === 91) {
      stack.push(c);
      pos++;
      ws();
      const close = c === 123 ? 125 : 93;
      if (text.charCodeAt(pos) === close) {
        stack.pop();
        pos++;
        return 'done';
      }
      return c === 123 ? 'key' : 'value';
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, pos)) {
        pos += lit.length;
        return 'done';
      }
      if (n - pos < lit.length && lit.startsWith(text.slice(pos))) return fail('', n); // cut off mid-literal
    }
    NUM.lastIndex = pos;
    const m = NUM.exec(text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      pos += m[0].length;
      return 'done';
    }
    if (text.startsWith('NaN', pos) || text.startsWith('Infinity', pos) || text.startsWith('-Infinity', pos))
      return fail('NaN and Infinity are not JSON (write null, or a number)');
    return fail(`unexpected ${describeChar(text, pos)} where a value should be`);
  };
  const key = (): Next => {
    ws();
    if (text.charCodeAt(pos) !== 34) return fail(`expected a double-quoted property name, found ${describeChar(text, pos)}`);
    const e = scanString();
    if (e) return e;
    ws();
    if (text.charCodeAt(pos) !== 58) return fail(`expected ':' after property name, found ${describeChar(text, pos)}`);
    pos++;
    return 'value';
  };

  let next: Next = 'value';
  let err: SyntaxProblem | null = null;
  while (!err) {
    if (next === 'value') next = value();
    else if (next === 'key') next = key();
    else if (next !== 'done') err = next;
    else {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const c = text.charCodeAt(pos);
      if (c === 44) {
        pos++;
        next = top === 123 ? 'key' : 'value';
      } else if ((top === 123 && c === 125) || (top === 91 && c === 93)) {
        stack.pop();
        pos++;
      } else {
        const want = top === 123 ? "',' or '}' after a property value" : "',' or ']' after an array element";
        err = fail(`expected ${want}, found ${describeChar(text, pos)}`);
      }
    }
  }
  if (err) return err;
  ws();
  if (pos < n) return { offset: pos, detail: `unexpected ${describeChar(text, pos)} after the end of the JSON value` };
  return null;
}
