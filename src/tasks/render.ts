/**
 * How numbers become text in a question or answer (DESIGN §7). The canonical record keeps the
 * numbers; a profile picks one time and one box rendering, so a dataset can match the convention
 * its training loader expects (TimeChat seconds, VTimeLLM's relative indices, Elysium's 0–100 boxes…).
 */
export const TIME_RENDERS = ['sec_1dp', 'rel_00_99', 'frame'] as const;
export const BOX_RENDERS = ['int100', 'norm_3f', 'int1000'] as const;
export type TimeRender = (typeof TIME_RENDERS)[number];
export type BoxRender = (typeof BOX_RENDERS)[number];

/** Seconds with one decimal ("12.3 - 18.0 seconds"), VTimeLLM's two-digit relative index ("from 12 to 18"), or frames. */
export function renderSpan(startS: number, endS: number, duration: number, frames: [number, number], style: TimeRender): string {
  switch (style) {
    case 'sec_1dp':
      return `${startS.toFixed(1)} - ${endS.toFixed(1)} seconds`;
    case 'rel_00_99':
      return `from ${relIndex(startS, duration)} to ${relIndex(endS, duration)}`;
    case 'frame':
      return `frame ${frames[0]} to frame ${frames[1]}`;
  }
}

/**
 * VTimeLLM's relative index, exactly as its loader (`vtimellm/train/dataset.py`) computes it from
 * seconds — `min(round(t / duration * 100), 99)`, two digits — so text we render and tokens its
 * loader renders agree. Python's round() takes a tie to the even neighbour, and ties are common
 * (frame 13 of 200 at 24 fps is exactly 6.5): the same doubles, the same rule.
 */
export function relIndex(t: number, duration: number): string {
  return String(Math.max(0, Math.min(99, roundHalfEven((t / Math.max(duration, 1e-9)) * 100)))).padStart(2, '0');
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** A box normalised to [0, 1] as text: `[34,40,51,67]` (int100), `[0.340,0.400,0.510,0.670]`, `[340,400,510,670]`. */
export function renderBox(box: readonly number[], style: BoxRender): string {
  const clamp = (v: number) => Math.max(0, Math.min(1, v));
  const parts = box.map((v) => {
    const c = clamp(v);
    if (style === 'norm_3f') return c.toFixed(3);
    const scale = style === 'int100' ? 100 : 1000;
    return String(Math.round(c * scale));
  });
  return `[${parts.join(',')}]`;
}

/** One moment in the same style: "12.3s", "12" (relative index) or "frame 370". */
export function renderInstant(t: number, duration: number, frame: number, style: TimeRender): string {
  if (style === 'sec_1dp') return `${t.toFixed(1)}s`;
  if (style === 'rel_00_99') return relIndex(t, duration);
  return `frame ${frame}`;
}

/** `s` without a trailing run of any of `chars`: a loop, since `/[.!?]*$/` is quadratic on a long run that is not at the end. */
export function withoutTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return s.slice(0, end);
}
