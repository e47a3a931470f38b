/**
 * Errors for bad input files (DESIGN §5): every message names the file, the line and the JSON path,
 * in words a person can act on, e.g.
 *   synthetic.proposals.json line 4, $.instances[0].track.boxes[12]: x2 (10) < x1 (20)
 */

import { locatePaths } from './jsonScan';

export type PathSeg = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['instances', 3, 'track']` → `$.instances[3].track`. */
export function formatPath(path: readonly PathSeg[]): string {
  let s = '$';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (IDENT.test(p)) s += `.${p}`;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

export interface FormatErrorInit {
  file: string;
  /** 1-based; for JSONL the line of the record. */
  line?: number;
  /** 1-based, where known. */
  column?: number;
  /** JSON path such as `$.instances[3].track.boxes[12][2]`. */
  path: string;
  /** What is wrong, without the location. */
  detail: string;
}

export class FormatError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly path: string;
  readonly detail: string;

  constructor(init: FormatErrorInit, message?: string) {
    super(message ?? FormatError.describe(init));
    this.name = 'FormatError';
    this.file = init.file;
    if (init.line !== undefined) this.line = init.line;
    if (init.column !== undefined) this.column = init.column;
    this.path = init.path;
    this.detail = init.detail;
  }

  static describe(e: FormatErrorInit): string {
    const where = e.line !== undefined ? ` line ${e.line}` : '';
    return `${e.file}${where}, ${e.path}: ${e.detail}`;
  }

  /** All the problems this error stands for (itself, unless it is a FormatErrors). */
  get all(): readonly FormatError[] {
    return [this];
  }

  /** How many problems were found in total (may exceed `all.length`). */
  get total(): number {
    return 1;
  }
}

/** How many problems a message lists before "and N more". */
export const MAX_REPORTED = 20;

/**
 * Several problems in one file. It is itself a FormatError carrying the first problem's location, so
 * callers that only care about "what and where" need not know about it.
 */
export class FormatErrors extends FormatError {
  readonly errors: readonly FormatError[];
  readonly count: number;

  constructor(errors: readonly FormatError[], total = errors.length) {
    const first = errors[0]!;
    const shown = errors.slice(0, MAX_REPORTED);
    const more = total - shown.length;
    const lines = shown.map((e) => `  ${e.message}`);
    if (more > 0) lines.push(`  and ${more} more`);
    super(first, `${total} problems in ${first.file}:\n${lines.join('\n')}`);
    this.name = 'FormatErrors';
    this.errors = shown;
    this.count = total;
  }

  override get all(): readonly FormatError[] {
    return this.errors;
  }

  override get total(): number {
    return this.count;
  }
}

/** One error, or a FormatErrors when there are several. */
export function combineErrors(errors: readonly FormatError[], total = errors.length): FormatError {
  if (errors.length === 0) throw new Error('combineErrors: no errors');
  return total === 1 && errors.length === 1 ? errors[0]! : new FormatErrors(errors, total);
}

/** The text a problem's path is located in: a whole .json file, or one JSONL line. */
export interface SourceText {
  text: string;
  /** Line number of the text's first line in the file (1 for a whole file, N for JSONL line N). */
  firstLine: number;
}

interface Problem {
  path: PathSeg[];
  detail: string;
  source?: SourceText;
  line?: number;
  column?: number;
}

/**
 * Collects problems while validating; keeps the first MAX_REPORTED and counts the rest. Locations
 * (line/column of a JSON path) are resolved only when throwing, with one scan per source text, so
 * valid files pay nothing for them.
 */
export class ErrorSink {
  private readonly problems: Problem[] = [];
  private n = 0;

  constructor(readonly file: string) {}

  get count(): number {
    return this.n;
  }

  /** True once enough problems are kept that further detail would not be shown. */
  get full(): boolean {
    return this.problems.length >= MAX_REPORTED;
  }

  /** A problem at a JSON path inside `source` (its line is looked up on throw). */
  add(path: PathSeg[], detail: string, source?: SourceText): void {
    this.n++;
    if (this.problems.length < MAX_REPORTED) this.problems.push(source ? { path, detail, source } : { path, detail });
  }

  /** A problem whose line (and column) are already known. */
  addAt(path: PathSeg[], detail: string, line: number | undefined, column?: number): void {
    this.n++;
    if (this.problems.length < MAX_REPORTED) {
      const p: Problem = { path, detail };
      if (line !== undefined) p.line = line;
      if (column !== undefined) p.column = column;
      this.problems.push(p);
    }
  }

  toError(): FormatError | null {
    if (this.n === 0) return null;
    // Resolve locations, one scan per distinct source text.
    const bySource = new Map<SourceText, Problem[]>();
    for (const p of this.problems) {
      if (!p.source) continue;
      const list = bySource.get(p.source);
      if (list) list.push(p);
      else bySource.set(p.source, [p]);
    }
    for (const [src, list] of bySource) {
      const found = locatePaths(
        src.text,
        list.map((p) => p.path),
      );
      list.forEach((p, i) => {
        const at = found[i];
        if (at) {
          p.line = src.firstLine + at.line - 1;
          p.column = at.column;
        } else p.line = src.firstLine;
      });
    }
    const errors = this.problems.map((p) => {
      const init: FormatErrorInit = { file: this.file, path: formatPath(p.path), detail: p.detail };
      if (p.line !== undefined) init.line = p.line;
      if (p.column !== undefined) init.column = p.column;
      return new FormatError(init);
    });
    return combineErrors(errors, this.n);
  }

  throwIfAny(): void {
    const e = this.toError();
    if (e) throw e;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** The last path segment of a URL or file path, decoded, for messages. */
export function fileLabel(urlOrName: string): string {
  const clean = urlOrName.split(/[?#]/)[0] ?? urlOrName;
  const last = clean.split('/').filter(Boolean).pop() ?? clean;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Plain data for postMessage (Error subclasses lose their class and fields when cloned). */
export interface SerializedError {
  name: string;
  message: string;
  format?: { errors: FormatErrorInit[]; total: number };
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof FormatError) {
    const errors = e.all.map((x) => {
      const init: FormatErrorInit = { file: x.file, path: x.path, detail: x.detail };
      if (x.line !== undefined) init.line = x.line;
      if (x.column !== undefined) init.column = x.column;
      return init;
    });
    return { name: e.name, message: e.message, format: { errors, total: e.total } };
  }
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedError): Error {
  if (s.format && s.format.errors.length > 0) {
    return combineErrors(
      s.format.errors.map((i) => new FormatError(i)),
      s.format.total,
    );
  }
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}
