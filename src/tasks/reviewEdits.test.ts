import { describe, expect, it } from 'vitest';
import { DEFAULT_QA_OPTIONS } from './generate';
import { editProblem, numbersOf, renderingMismatch } from './reviewEdits';

describe('review edits', () => {
  it('lets the words change and keeps the numbers', () => {
    expect(numbersOf('1.0s: [13,28,23,41]; 2.0s: [17,28,27,41]')).toEqual(['1.0', '13', '28', '23', '41', '2.0', '17', '28', '27', '41']);
    expect(editProblem('temporal_grounding', 'answer', '1.0 - 4.0 seconds', 'From 1.0 - 4.0 seconds.')).toBeNull();
    expect(editProblem('temporal_grounding', 'answer', '1.0 - 4.0 seconds', '2.0 - 4.0 seconds')).toMatch(/come from the annotation/);
    // Nothing may be added to an answer either: a made-up box would be trained on.
    expect(editProblem('spatial_grounding', 'answer', '0.0s: [6,49,13,78]', '0.0s: [6,49,13,78]; 9.9s: [1,2,3,4]')).toMatch(/come from the annotation/);
    expect(editProblem('spatial_grounding', 'answer', '0.0s: [6,49,13,78]', '0.0s: [1,1,2,2] [6,49,13,78]')).toMatch(/come from the annotation/);
    expect(editProblem('spatial_grounding', 'question', 'Where is the dog during 1.0 - 4.0 seconds?', 'Where is the dog during 1.0 - 4.0 seconds? Boxes, please.')).toBeNull();
    expect(editProblem('dynamic_captioning', 'question', 'Describe the dog at [1,2,3,4].', 'Describe the dog at [1,2,3,5].')).toMatch(/edit only the words/);
    // The caption inside a question is words: its numbers may change; the rendered ones may not.
    const q = 'When does this happen: "3 dogs run."? The dog is at [1,2,3,4] when it begins.';
    expect(editProblem('temporal_grounding', 'question', q, q.replace('3 dogs', '2 dogs'), '3 dogs run.')).toBeNull();
    expect(editProblem('temporal_grounding', 'question', q, q.replace('[1,2,3,4]', '[1,2,3,5]'), '3 dogs run.')).toMatch(/edit only the words/);
    expect(editProblem('temporal_grounding', 'question', 'Find the time span in which 3 dogs run. The dog is at [1,2,3,4] when it begins.', 'Find when 2 dogs run. The dog is at [1,2,3,4] when it begins.', '3 dogs run.')).toBeNull();
    // A caption is the captioning answer: its numbers are words ("2 dogs") and free to change.
    expect(editProblem('dynamic_captioning', 'answer', 'Two dogs run.', '2 dogs run.')).toBeNull();
    expect(editProblem('dynamic_captioning', 'answer', 'Two dogs run.', '  ')).toMatch(/cannot be empty/);
  });

  it('says when an edit was written in other renderings than the export asks', () => {
    const d = DEFAULT_QA_OPTIONS;
    expect(renderingMismatch('spatial_grounding', ['answer'], d, { ...d, frames: 4 })).toMatch(/edited answer is written in sec_1dp, int100, 8 frames; this export renders sec_1dp, int100, 4 frames/);
    // A temporal answer is a span: the box rendering and frame count do not touch it.
    expect(renderingMismatch('temporal_grounding', ['answer'], d, { ...d, box: 'int1000', frames: 4 })).toBeNull();
    expect(renderingMismatch('temporal_grounding', ['question', 'answer'], d, { ...d, box: 'int1000' })).toMatch(/edited question is/);
    expect(renderingMismatch('dynamic_captioning', ['answer'], d, { time: 'frame', box: 'norm_3f', frames: 2 })).toBeNull();
    expect(renderingMismatch('dynamic_captioning', ['question'], d, { ...d, time: 'rel_00_99' })).toMatch(/question/);
  });
});
