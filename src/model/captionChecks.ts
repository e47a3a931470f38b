import type { MotionSummary } from './motionSummary';

/**
 * Checks of a dynamic caption against what the boxes show. Captions are model-written text: they
 * are only read here, never trusted.
 */
export type FlagKind = 'direction' | 'category' | 'empty' | 'short';

export interface CaptionFlag {
  kind: FlagKind;
  message: string;
}

type Claim = 'left' | 'right' | 'up' | 'down' | 'toward' | 'away' | 'still' | 'moving';

const PATTERNS: Array<[Claim, RegExp]> = [
  ['left', /\b(to(wards?)? the left|leftwards?|(moves?|moving|runs?|running|walks?|walking|drives?|driving|goes|going|heads?|heading|rolls?|rolling|bounces?|bouncing|flies|flying|turns?|turning|swims?|swimming) left|from (the )?right (side |edge )?to(wards?)? the left|from right to left)\b/],
  ['right', /\b(to(wards?)? the right|rightwards?|(moves?|moving|runs?|running|walks?|walking|drives?|driving|goes|going|heads?|heading|rolls?|rolling|bounces?|bouncing|flies|flying|turns?|turning|swims?|swimming) right|from (the )?left (side |edge )?to(wards?)? the right|from left to right)\b/],
  ['up', /\b(upwards?|moves? up|rises?|rising|climbs?|climbing|jumps? up|goes up|going up)\b/],
  ['down', /\b(downwards?|moves? down|falls?|falling|drops?|dropping|descends?|descending|goes down|going down)\b/],
  ['toward', /\b(towards? the camera|closer|approach(es|ing)?|comes? near(er)?)\b/],
  ['away', /\b(away from the camera|moves? away|recedes?|receding|into the distance|further away)\b/],
  ['still', /\b(stands? still|stays? still|(is |remains? )?(still|stationary|motionless)|does(n't| not) move|stops? moving|not moving)\b/],
];

const NEGATION = /\b(not|never|no longer|without)\b|n't\b/;

/** What a caption claims about the motion, clause by clause; negated clauses claim nothing. */
export function captionClaims(caption: string): Set<Claim> {
  const out = new Set<Claim>();
  for (const clause of caption.toLowerCase().split(/[.;,!?]|\b(?:then|and then|but|while|before|after)\b/)) {
    if (!clause.trim()) continue;
    const negated = NEGATION.test(clause);
    for (const [claim, re] of PATTERNS) {
      if (!re.test(clause)) continue;
      // "does not move" is itself a claim of stillness; any other negated direction claims nothing.
      if (claim === 'still') out.add('still');
      else if (!negated) out.add(claim);
    }
  }
  return out;
}

/** Direction words that the measured motion contradicts. */
export function directionContradictions(caption: string, m: MotionSummary): string[] {
  const claims = captionClaims(caption);
  const out: string[] = [];
  // A component counts when it is a clear part of the net motion (≥ 0.5 box and ≥ 40 % of the travel).
  const net = Math.hypot(m.dx, m.dy);
  const boxSize = m.netBoxes > 0 ? net / m.netBoxes : 1;
  const clear = (v: number) => Math.abs(v) >= 0.5 * boxSize && Math.abs(v) >= 0.4 * net;
  const moving = m.shape !== 'still';
  if (claims.has('left') && !claims.has('right') && clear(m.dx) && m.dx > 0) out.push('says left, the box moves right');
  if (claims.has('right') && !claims.has('left') && clear(m.dx) && m.dx < 0) out.push('says right, the box moves left');
  if (claims.has('up') && !claims.has('down') && clear(m.dy) && m.dy > 0) out.push('says up, the box moves down');
  if (claims.has('down') && !claims.has('up') && clear(m.dy) && m.dy < 0) out.push('says down, the box moves up');
  if (claims.has('toward') && m.scale === 'receding') out.push('says it comes closer, the box shrinks');
  if (claims.has('away') && m.scale === 'approaching') out.push('says it moves away, the box grows');
  if (claims.has('still') && claims.size === 1 && moving && m.netBoxes >= 1) out.push(`says it is still, the box ${m.text}`);
  const directional = ['left', 'right', 'up', 'down'].some((c) => claims.has(c as Claim));
  if (directional && !moving) out.push('names a direction, the box stays still');
  return out;
}

function mentions(caption: string, category: string): boolean {
  const c = category.toLowerCase().trim();
  if (!c) return false;
  const words = caption.toLowerCase();
  const plural = c.endsWith('s') ? c : `${c}s`;
  return new RegExp(`\\b(${escape(c)}|${escape(plural)})\\b`).test(words);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface CheckInput {
  caption: string;
  category: string;
  /** The other categories known in the video (tags and tracks). */
  categories: readonly string[];
  spanFrames: number;
  minSpanFrames: number;
  motion: MotionSummary | null;
}

/** All flags for one (track, span, caption). */
export function checkCaption(input: CheckInput): CaptionFlag[] {
  const flags: CaptionFlag[] = [];
  const caption = input.caption.trim();
  if (!caption) flags.push({ kind: 'empty', message: 'The caption is empty.' });
  if (input.spanFrames < input.minSpanFrames) flags.push({ kind: 'short', message: `The span is ${input.spanFrames} frames, shorter than ${input.minSpanFrames}.` });
  if (caption) {
    const others = input.categories.filter((c) => c.toLowerCase() !== input.category.toLowerCase() && mentions(caption, c));
    if (others.length && !mentions(caption, input.category)) {
      flags.push({ kind: 'category', message: `The caption names ${others.map((o) => `"${o}"`).join(', ')}, the instance is a "${input.category}".` });
    }
    if (input.motion) for (const c of directionContradictions(caption, input.motion)) flags.push({ kind: 'direction', message: `The caption ${c} (${input.motion.text}).` });
  }
  return flags;
}
