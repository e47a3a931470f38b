import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxAt, keyList } from '../model/keyframes';
import type { Track } from '../model/types';
import { motClassId, parseMot, parseSeqInfo, writeMot, writeSeqInfo } from './mot';

const seq = { frameRate: 14, seqLength: 10, width: 640, height: 480, name: 'tiny' };
const keysOf = (t: Track) => t.keys;

describe('MOT reader', () => {
  it('reads 1-based frames into 0-based ones and pixels as written, with classes, visibility and gaps', () => {
    const text = ['1,1,17,150,77,191,1,1,1', '2,1,20,148,78,195,1,1,0.2', '4,1,26,146,79,202,1,1,1', '3,7,5,5,10,10,1,3,1', '5,7,5,5,10,10,0,3,1'].join('\n');
    const { annotation: a, ignored } = parseMot(text, 'gt.txt', seq);
    expect(ignored).toBe(1);
    expect(a.tracks.map((t) => [t.id, t.category])).toEqual([['1', 'pedestrian'], ['7', 'car']]);
    const k = a.tracks[0]!.keys;
    expect(boxAt(k, 0)!.box).toEqual([17, 150, 94, 341]);
    expect(boxAt(k, 1)!.occluded).toBe(true);
    expect(boxAt(k, 2)).toBeNull(); // frame 3 is missing: not shown
    expect(boxAt(k, 3)!.box).toEqual([26, 146, 105, 348]);
    expect(boxAt(k, 4)).toBeNull(); // the track ends after its last box
    expect(a.video).toMatchObject({ width: 640, height: 480, fps: 14, frameCount: 10 });
  });
  it('reads whitespace-separated lines as py-motmetrics does', () => {
    const a = parseMot('1 1 17 150 77 191 1 1 1\n2\t1\t20\t148\t78\t195\t1\t1\t1\n', 'gt.txt', seq).annotation;
    expect(boxAt(a.tracks[0]!.keys, 1)!.box).toEqual([20, 148, 98, 343]);
    expect(() => parseMot('1 1 17\n', 'gt.txt', seq)).toThrow(/line 1, \$\.bb_top: expected at least 6 values separated by commas \(or spaces\), got 3/);
  });
  it('reads MOT15 lines (world coordinates instead of class and visibility)', () => {
    const { annotation: a } = parseMot('1,1,415,449,129,269,1,-1,-1,-1\n2,1,416,449,129,269,1,-1,-1,-1\n', 'gt.txt', seq);
    expect(a.tracks[0]!.category).toBe('pedestrian');
    expect(boxAt(a.tracks[0]!.keys, 1)!.occluded).toBe(false);
  });
  it('rejects bad lines whole, naming the line and the column', () => {
    expect(() => parseMot('1,1,1,1,5,5,1,1,1\n2,x,1,1,5,5,1,1,1\n', 'gt.txt', seq)).toThrow(/gt\.txt line 2, \$\.id: "x" is not a number/);
    expect(() => parseMot('0,1,1,1,5,5\n', 'gt.txt', seq)).toThrow(/line 1, \$\.frame: frames are 1-based/);
    expect(() => parseMot('11,1,1,1,5,5\n', 'gt.txt', seq)).toThrow(/past the sequence's 10 frames/);
    expect(() => parseMot('1,1,1,1,-5,5\n', 'gt.txt', seq)).toThrow(/bb_width: the box must have a positive size/);
    expect(() => parseMot('1,1,1,1\n', 'gt.txt', seq)).toThrow(/at least 6/);
    expect(() => parseMot('', 'gt.txt', seq)).toThrow(/gt\.txt, \/: the file is empty/);
    expect(() => parseMot('\n \n', 'gt.txt', seq)).toThrow(/the file is empty/);
    expect(() => parseMot('1,1,1,1,5,5\n1,1,2,2,5,5\n', 'gt.txt', seq)).toThrow(/two boxes at frame 1/);
  });
  it('a long run of spaces inside a line is refused at once (found by fuzzing)', () => {
    // Both readers' regexes were quadratic in it: this line took about a minute, freezing the page.
    const spaces = ' '.repeat(200_000);
    expect(() => parseMot(`1,1,1${spaces}1,1,5,5\n`, 'gt.txt', seq)).toThrow(/gt\.txt line 1, \$\.bb_left: .* is not a number/);
    expect(() => parseSeqInfo(`frameRate=1${spaces}x\nseqLength=1\nimWidth=1\nimHeight=1`, 'seqinfo.ini')).toThrow(/line 1.*frameRate: expected a number/);
    expect(parseSeqInfo(`  frameRate =${spaces}14${spaces}\nseqLength=1\nimWidth=1\nimHeight=1`, 'seqinfo.ini').frameRate).toBe(14);
  });
  it('refuses sizes and numbers the keyframe tables cannot hold, and reads far-apart frames sparsely (found by fuzzing)', () => {
    // seqLength 10.5 and 1e12 were accepted; a box of 1e300 became Infinity in float32; rows at
    // frames 1 and 1e11 built a dense array of that length (RangeError: Invalid array length), and
    // at 1e9 ran out of memory.
    const ini = (len: string, w = '640') => `frameRate=14\nseqLength=${len}\nimWidth=${w}\nimHeight=480`;
    expect(() => parseSeqInfo(ini('10.5'), 'seqinfo.ini')).toThrow(/line 2, \[Sequence\]\.seqLength: expected an integer from 1 to 2147483647, got "10\.5"/);
    expect(() => parseSeqInfo(ini('1000000000000'), 'seqinfo.ini')).toThrow(/seqLength: expected an integer/);
    expect(() => parseSeqInfo(ini('40', '1e300'), 'seqinfo.ini')).toThrow(/imWidth: expected a number from 1 to 100000/);
    expect(() => parseMot('1,1,1e300,1,5,5\n', 'gt.txt', seq)).toThrow(/line 1, \$\.bb_left: the box 1e\+300,1 5×5 lies more than 10× the frame size/);
    const long = { ...seq, seqLength: 2 ** 31 - 1 };
    const { annotation: a } = parseMot('1,1,1,1,5,5\n2000000000,1,1,1,5,5\n', 'gt.txt', long);
    expect(keyList(a.tracks[0]!.keys).map((k) => [k.frame, k.outside])).toEqual([[0, false], [1, true], [1999999999, false], [2000000000, true]]);
    expect(() => parseMot(`1,1,${'x'.repeat(1000)},1,5,5`, 'gt.txt', seq)).toThrow(/bb_left: "x{40}"… is not a number$/);
  });
  it('reads seqinfo.ini and says what is missing', () => {
    expect(parseSeqInfo('[Sequence]\nname=X\nframeRate=14\nseqLength=837\nimWidth=640\nimHeight=480\n', 'seqinfo.ini')).toEqual({ name: 'X', frameRate: 14, seqLength: 837, width: 640, height: 480 });
    expect(() => parseSeqInfo('[Sequence]\nframeRate=14\n', 'seqinfo.ini')).toThrow(/seqinfo\.ini, \$\[Sequence\]\.seqLength|seqLength: missing/);
    expect(() => parseSeqInfo('[Sequence]\nframeRate=fast\nseqLength=1\nimWidth=1\nimHeight=1', 'seqinfo.ini')).toThrow(/line 2.*frameRate: expected a number/);
  });
  it('round-trips: import → export → import gives the same tracks', () => {
    const text = '1,1,17,150,77,191,1,1,1\n2,1,20,148,78,195,1,1,0.2\n4,1,26.5,146,79,202,1,1,1\n3,7,5,5,10,10,1,3,1\n';
    const a = parseMot(text, 'gt.txt', seq).annotation;
    const b = parseMot(writeMot(a, keysOf), 'gt.txt', parseSeqInfo(writeSeqInfo(a), 'seqinfo.ini')).annotation;
    expect(b.tracks.map((t) => [t.id, t.category, keyList(t.keys)])).toEqual(a.tracks.map((t) => [t.id, t.category, keyList(t.keys)]));
  });
  it('writes a detector\'s "person" as MOT\'s pedestrian class; a category MOT lacks as class 1', () => {
    expect(motClassId('person')).toBe(1);
    expect(motClassId('car')).toBe(3);
    expect(motClassId('dog')).toBeUndefined();
    expect(motClassId('constructor')).toBeUndefined();
    const a = parseMot('1,1,17,150,77,191,1,1,1\n1,2,5,5,10,10,1,3,1\n', 'gt.txt', seq).annotation;
    a.tracks[0]!.category = 'person';
    expect(writeMot(a, keysOf).split('\n').slice(0, 2).map((l) => l.split(',')[7])).toEqual(['1', '3']);
  });
});

// The third-party samples (MOTChallenge ground truth, CC BY-NC-SA 3.0) stay in ../shared, not in this repo.
const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'third-party');
describe.skipIf(!existsSync(shared))('MOT on the MOTChallenge samples', () => {
  it('MOT17-05 imports and round-trips', () => {
    const info = parseSeqInfo(readFileSync(path.join(shared, 'mot17', 'seqinfo.ini'), 'utf8'), 'seqinfo.ini');
    const a = parseMot(readFileSync(path.join(shared, 'mot17', 'MOT17-05-gt.txt'), 'utf8'), 'MOT17-05-gt.txt', info).annotation;
    expect(a.tracks.length).toBeGreaterThan(0);
    const b = parseMot(writeMot(a, keysOf), 'gt.txt', info).annotation;
    expect(b.tracks.map((t) => keyList(t.keys))).toEqual(a.tracks.map((t) => keyList(t.keys)));
  });
  it('the MOT15 excerpt imports', () => {
    const a = parseMot(readFileSync(path.join(shared, 'mot15', 'Venice-2-gt-excerpt.txt'), 'utf8'), 'gt.txt', { frameRate: 30, seqLength: 600, width: 1920, height: 1080 }).annotation;
    expect(a.tracks.every((t) => t.category === 'pedestrian')).toBe(true);
  });
});
