import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rng } from '../support';

/** Write a generated file where `vite preview` serves it (the built app's folder); returns its URL path. */
export function serveGenerated(name: string, body: string): string {
  const dir = path.join(import.meta.dirname, '..', '..', 'dist', 'bench-generated');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), body);
  return `/bench-generated/${name}`;
}

/** Proposals with `tracks` dense tracks over `frames` frames, moving smoothly. */
export function generatedProposals(tracks: number, frames: number): string {
  const random = rng(tracks * 7 + frames);
  const parts: string[] = [];
  for (let t = 0; t < tracks; t++) {
    const x0 = random() * 560;
    const y0 = random() * 300;
    const vx = (random() - 0.5) * 2;
    const vy = (random() - 0.5) * 2;
    const boxes: string[] = new Array(frames);
    const scores: string[] = new Array(frames);
    for (let f = 0; f < frames; f++) {
      const x = ((x0 + vx * f) % 600 + 600) % 600;
      const y = ((y0 + vy * f) % 320 + 320) % 320;
      boxes[f] = `[${x.toFixed(1)},${y.toFixed(1)},${(x + 40).toFixed(1)},${(y + 40).toFixed(1)}]`;
      scores[f] = (0.5 + 0.5 * random()).toFixed(3);
    }
    parts.push(`{"id":"${t}","category":"object${t % 7}","score":0.9,"track":{"start_frame":0,"boxes":[${boxes.join(',')}],"scores":[${scores.join(',')}]}}`);
  }
  return `{"format":"imove-proposals/1","video":{"id":"gen","src":"/demo/synthetic.mp4","fps":30,"width":640,"height":360,"frame_count":${frames}},"tags":[],"instances":[${parts.join(',')}],"segments":[]}`;
}
