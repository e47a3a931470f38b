import { appendFileSync } from 'node:fs';

/** Append flat metrics to the file scripts/bench.mjs collects. */
export function record(metrics: Record<string, number>): void {
  const file = process.env.BENCH_RESULT;
  const line = JSON.stringify(metrics);
  if (file) appendFileSync(file, line + '\n');
  else console.log(line);
}

export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return Math.round(s[i]! * 100) / 100;
}
