import { describe, expect, it } from 'vitest';
import { parseModelManifestText } from './modelManifest';

const good = {
  format: 'imove-model/1',
  id: 'mine',
  name: 'My encoder',
  file: 'mine.onnx',
  input: { name: 'x', layout: 'NCHW', width: 224, height: 224, channels: 'RGB', range: 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  outputs: { embedding: { name: 'emb', size: 512 }, features: { name: 'fm', channels: 64, stride: 8 } },
};

describe('model manifest reader', () => {
  it('reads a good manifest', () => {
    expect(parseModelManifestText(JSON.stringify(good), 'mine.json').outputs.features?.stride).toBe(8);
  });
  it('names the file, line and path of a bad field', () => {
    const bad = JSON.stringify({ ...good, input: { ...good.input, std: [0.5, 0, 0.5] } }, null, 1);
    expect(() => parseModelManifestText(bad, 'mine.json')).toThrow(/mine\.json line \d+, \$\.input\.std/);
    const noOut = JSON.stringify({ ...good, outputs: {} }, null, 1);
    expect(() => parseModelManifestText(noOut, 'x/mine.json')).toThrow(/\$\.outputs\.embedding: missing/);
  });
  it('refuses another format, arrays, and sizes that break keepAspect', () => {
    expect(() => parseModelManifestText('{"format":"imove-manifest/1"}', 'm.json')).toThrow(/understands "imove-model\/1"/);
    expect(() => parseModelManifestText('[1]', 'm.json')).toThrow(/m\.json/);
    expect(() => parseModelManifestText(JSON.stringify({ ...good, input: { ...good.input, width: 200, keepAspect: { multiple: 32 } } }), 'm.json')).toThrow(/multiples of keepAspect/);
    expect(() => parseModelManifestText('', 'm.json')).toThrow(/m\.json/);
  });
});
