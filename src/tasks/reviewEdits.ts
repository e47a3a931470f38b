import { captionInSentence, type QaOptions, type QaTask } from './generate';

/**
 * What a reviewer may change in a generated pair's text. The words are theirs; the numbers (times,
 * boxes, frame indices) are the annotation's, rendered: a span or box changed in the text only would
 * leave the record's numbers saying one thing and its text another, and the profiles that rebuild
 * the text from the numbers (VTimeLLM's tokens, VideoRefer's regions) would silently undo it.
 */
export type EditedField = 'question' | 'answer';

const NUMBER = /\d+(?:\.\d+)?/g;

/** The numbers of `text`, in order: what an edit must keep. */
export function numbersOf(text: string): string[] {
  return text.match(NUMBER) ?? [];
}

/**
 * Why an edit of `field` from `generated` to `edited` is refused, or null when it keeps the numbers.
 * The caption inside a question is words, numbers and all ("3 dogs" may become "2 dogs"): only the
 * rendered numbers outside it must survive, in order. An answer's numbers are all rendered: kept exactly.
 */
export function editProblem(task: QaTask, field: EditedField, generated: string, edited: string, caption?: string): string | null {
  if (!edited.trim()) return `The ${field} cannot be empty.`;
  if (!renderDependent(task, field)) return null;
  const kept = numbersOf(withoutCaption(generated, caption));
  const now = numbersOf(edited);
  // An answer holds only rendered numbers: exactly those, none added (an extra box would be trained on).
  // A question also holds the caption, whose own numbers may change: the rendered ones survive in order.
  if (field === 'answer') {
    if (kept.length === now.length && kept.every((n, i) => n === now[i])) return null;
  } else {
    let j = 0;
    for (const n of now) if (j < kept.length && n === kept[j]) j++;
    if (j === kept.length) return null;
  }
  return `The times and boxes in the ${field} come from the annotation: edit only the words here. To change a span or a box, return the video to its annotator (or reject the pair).`;
}

function withoutCaption(text: string, caption: string | undefined): string {
  const c = caption?.trim();
  if (!c) return text;
  for (const form of [c, captionInSentence(c)]) {
    const at = text.indexOf(form);
    if (at >= 0) return text.slice(0, at) + text.slice(at + form.length);
  }
  return text;
}

type Rendering = keyof QaOptions;

/** Which renderings the text of each field is written in (see the phrasings in generate.ts). */
const DEPENDS: Record<QaTask, Record<EditedField, Rendering[]>> = {
  spatial_grounding: { question: ['time'], answer: ['time', 'box', 'frames'] },
  temporal_grounding: { question: ['box'], answer: ['time'] },
  // The question names the box on the first sampled frame, which is the same for any frame count.
  dynamic_captioning: { question: ['time', 'box'], answer: [] },
};

/** Whether the text of `field` holds rendered numbers: a captioning answer is the caption itself. */
export function renderDependent(task: QaTask, field: EditedField): boolean {
  return DEPENDS[task][field].length > 0;
}

/** An edit written under one rendering cannot be exported under another: its numbers would read in the old one. */
export function renderingMismatch(task: QaTask, edited: readonly EditedField[], editedUnder: QaOptions, exportWith: QaOptions): string | null {
  const differ = edited.filter((f) => DEPENDS[task][f].some((k) => editedUnder[k] !== exportWith[k]));
  if (!differ.length) return null;
  const show = (o: QaOptions) => `${o.time}, ${o.box}, ${o.frames} frames`;
  return `the reviewer's edited ${differ.join(' and ')} is written in ${show(editedUnder)}; this export renders ${show(exportWith)}: export with those renderings, or review the pair again`;
}
