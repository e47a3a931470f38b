import type { Annotation, KeyframeTable, Track } from '../model/types';
import { parseCvatVideo, writeCvatVideo } from './cvat';
import { FormatError, fileLabel } from './errors';
import { parseLabelStudioVideo, writeLabelStudioVideo } from './labelStudio';
import { parseMot, parseSeqInfo, writeMot, writeSeqInfo, type SeqInfo } from './mot';
import { parseProposalsText } from './proposals';
import { parseYoutubeVis, writeYoutubeVis } from './youtubeVis';

/**
 * Proposals may come in any of the formats the field uses (DESIGN §7 "interchange"): our own
 * `imove-proposals/1`, MOT `gt.txt`, CVAT for video 1.1 XML, Label Studio video JSON, YouTube-VIS.
 * The format is told from the content (with the file name as a tie-breaker), so a manifest entry or
 * a dropped file needs no extra declaration.
 */
export type InterchangeFormat = 'imove' | 'mot' | 'cvat' | 'labelstudio' | 'youtubevis';

export const FORMAT_LABEL: Record<InterchangeFormat, string> = {
  imove: 'iMOVE proposals',
  mot: 'MOTChallenge gt.txt',
  cvat: 'CVAT for video 1.1 XML',
  labelstudio: 'Label Studio video JSON',
  youtubevis: 'YouTube-VIS JSON',
};

/** What is known of the video the file goes with (from its container), used where a format lacks it. */
export interface VideoHints {
  width?: number;
  height?: number;
  fps?: number;
  frameCount?: number;
  /** `seqinfo.ini` next to a MOT `gt.txt`. */
  seqinfo?: { text: string; name: string };
}

export interface InterchangeImport {
  format: InterchangeFormat;
  annotations: Annotation[];
  /** What was read but not imported, or guessed, in words (shown to the user). */
  notes: string[];
}

const HEAD = 64 * 1024;

export function sniffFormat(text: string, name: string): InterchangeFormat {
  const head = text.slice(0, HEAD).replace(/^\uFEFF/, '');
  const lead = head.trimStart();
  if (lead.startsWith('<') || /\.xml$/i.test(name)) return 'cvat';
  if (/^[[{]/.test(lead)) {
    if (/"format"\s*:\s*"imove-proposals\//.test(head)) return 'imove';
    if (lead.startsWith('[')) return 'labelstudio';
    if (/"categories"\s*:/.test(text) && /"videos"\s*:/.test(text)) return 'youtubevis';
    if (/"data"\s*:/.test(head) && /"(annotations|predictions)"\s*:/.test(text)) return 'labelstudio';
    return 'imove';
  }
  // MOT lines begin with two integers (frame, id), comma- or space-separated. Split, not one regex:
  // nested \s* around separators backtracks quadratically on a long run of spaces.
  const cells = (lead.split(/\r?\n/, 1)[0] ?? '').slice(0, 256).split(/[\s,]+/);
  if ((cells.length >= 3 && /^\d+$/.test(cells[0]!) && /^-?\d+$/.test(cells[1]!)) || /\.txt$/i.test(name)) return 'mot';
  return 'imove';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function skippedNote(skipped: Record<string, number>, what: string): string[] {
  const parts = Object.entries(skipped).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return parts.length ? [`Not imported (${what}): ${parts.join(', ')}.`] : [];
}

function seqInfoFrom(hints: VideoHints, file: string): SeqInfo {
  if (hints.seqinfo) return parseSeqInfo(hints.seqinfo.text, hints.seqinfo.name);
  const { width, height, fps, frameCount } = hints;
  if (!(width && height && fps && frameCount)) {
    throw new FormatError({ file: fileLabel(file), path: 'seqinfo.ini', detail: 'a MOT gt.txt needs its seqinfo.ini (frame rate, length, size), or a video to take them from' });
  }
  return { frameRate: fps, seqLength: frameCount, width, height };
}

/** Read proposals in whichever format the text is in. All or nothing, like each reader. */
export function parseInterchange(text: string, file: string, hints: VideoHints = {}, baseUrl?: string): InterchangeImport {
  const format = sniffFormat(text, file);
  switch (format) {
    case 'imove':
      return { format, annotations: parseProposalsText(text, file, baseUrl), notes: [] };
    case 'mot': {
      const r = parseMot(text, file, seqInfoFrom(hints, file));
      return { format, annotations: [r.annotation], notes: r.ignored ? [`${plural(r.ignored, 'box')} with conf 0 (ignored by the benchmark) not imported.`] : [] };
    }
    case 'cvat': {
      const r = parseCvatVideo(text, file, { ...(hints.fps ? { fps: hints.fps } : {}), ...(hints.frameCount ? { frameCount: hints.frameCount } : {}) });
      const notes = skippedNote(r.skipped, 'not boxes');
      if (r.fpsGuessed) notes.push('CVAT records no frame rate: the video’s is used.');
      return { format, annotations: [r.annotation], notes };
    }
    case 'labelstudio': {
      const r = parseLabelStudioVideo(text, file, {
        ...(hints.width ? { width: hints.width } : {}),
        ...(hints.height ? { height: hints.height } : {}),
        ...(hints.fps ? { fps: hints.fps } : {}),
        ...(hints.frameCount ? { frameCount: hints.frameCount } : {}),
      });
      const notes = skippedNote(r.skipped, 'not video rectangles');
      if (r.taskIds.length > 1) notes.push(`The file has ${r.taskIds.length} tasks: the first (${String(r.taskIds[0])}) was imported.`);
      if (r.from?.kind === 'prediction') notes.push('No annotation in the task: its prediction was imported.');
      if (r.rotated) notes.push(`${plural(r.rotated, 'rotated box')} imported as the upright box around it.`);
      return { format, annotations: [r.annotation], notes };
    }
    case 'youtubevis': {
      const r = parseYoutubeVis(text, file, hints.fps ? { fps: hints.fps } : {});
      const notes: string[] = [];
      if (r.crowd) notes.push(`${plural(r.crowd, 'crowd region')} not imported.`);
      if (r.empty) notes.push(`${plural(r.empty, 'instance')} without a box not imported.`);
      return { format, annotations: r.annotations, notes };
    }
  }
}

/** The curated tracks of one video in an interchange format: the files to write, by name. */
export function writeInterchange(format: Exclude<InterchangeFormat, 'imove'>, a: Annotation, keysOf: (t: Track) => KeyframeTable): Array<{ name: string; text: string; type: string }> {
  const stem = a.video.id.replace(/[^\w.-]+/g, '_') || 'video';
  switch (format) {
    case 'mot':
      return [
        { name: `${stem}.gt.txt`, text: writeMot(a, keysOf), type: 'text/plain' },
        { name: `${stem}.seqinfo.ini`, text: writeSeqInfo(a), type: 'text/plain' },
      ];
    case 'cvat':
      return [{ name: `${stem}.cvat.xml`, text: writeCvatVideo(a, keysOf), type: 'application/xml' }];
    case 'labelstudio':
      return [{ name: `${stem}.labelstudio.json`, text: writeLabelStudioVideo(a, keysOf), type: 'application/json' }];
    case 'youtubevis':
      return [{ name: `${stem}.youtubevis.json`, text: writeYoutubeVis(a, keysOf), type: 'application/json' }];
  }
}
