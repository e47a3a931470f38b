import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelManifestSchema, type ModelManifest } from './manifest';

// The shipped encoders (public/models, written by scripts/models/build-models.mjs) run in
// onnxruntime-web's WASM backend under Node, with the shapes their manifests promise.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelsDir = path.join(root, 'public', 'models');
const { onnx } = onnxProto;

interface Shipped {
  id: string;
  /** A non-square size the manifest's keepAspect allows: [height, width]. */
  other: [number, number];
}
const shipped: Shipped[] = [
  { id: 'ppocr-v4-backbone', other: [192, 320] },
  { id: 'tiny-filters', other: [144, 256] },
];

function manifestOf(id: string): ModelManifest {
  return modelManifestSchema.parse(JSON.parse(readFileSync(path.join(modelsDir, `${id}.json`), 'utf8')));
}

const sessions = new Map<string, ort.InferenceSession>();
async function session(id: string): Promise<ort.InferenceSession> {
  let s = sessions.get(id);
  if (!s) {
    const m = manifestOf(id);
    s = await ort.InferenceSession.create(readFileSync(path.join(modelsDir, m.file)), { executionProviders: ['wasm'] });
    sessions.set(id, s);
  }
  return s;
}

/** A deterministic pseudo-random image, already normalised, [1,3,h,w]. */
function noise(h: number, w: number): ort.Tensor {
  let seed = 12345;
  const data = Float32Array.from({ length: 3 * h * w }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  });
  return new ort.Tensor('float32', data, [1, 3, h, w]);
}

/** A grey image in [0,1] (the tiny model's range) given by `value(y, x)`, [1,3,h,w]. */
function grey(h: number, w: number, value: (y: number, x: number) => number): ort.Tensor {
  const data = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(c * h + y) * w + x] = value(y, x);
  return new ort.Tensor('float32', data, [1, 3, h, w]);
}

beforeAll(() => {
  // A fresh clone: build the models (a no-op when they are up to date).
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'models', 'build-models.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-models failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
}, 120_000);

describe.each(shipped)('$id', ({ id, other }) => {
  it('has a manifest that validates', () => {
    const raw: unknown = JSON.parse(readFileSync(path.join(modelsDir, `${id}.json`), 'utf8'));
    const parsed = modelManifestSchema.safeParse(raw);
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(parsed.data?.id).toBe(id);
    expect(parsed.data?.input.keepAspect).toBeDefined();
  });

  it('loads in onnxruntime-web and names the manifest input and outputs', async () => {
    const m = manifestOf(id);
    const s = await session(id);
    expect(s.inputNames).toEqual([m.input.name]);
    expect([...s.outputNames].sort()).toEqual([m.outputs.embedding.name, m.outputs.features?.name].sort());
  }, 60_000);

  it('yields embedding and features of the promised shapes, square and keepAspect sizes', async () => {
    const m = manifestOf(id);
    const features = m.outputs.features;
    if (!features) throw new Error('shipped models have a feature map');
    const multiple = m.input.keepAspect?.multiple ?? 1;
    expect(other[0] % multiple).toBe(0);
    expect(other[1] % multiple).toBe(0);
    const s = await session(id);
    for (const [h, w] of [[m.input.height, m.input.width], other] as const) {
      const out = await s.run({ [m.input.name]: noise(h, w) });
      const emb = out[m.outputs.embedding.name];
      const feat = out[features.name];
      expect(emb?.data.length).toBe(m.outputs.embedding.size);
      expect(feat?.dims).toEqual([1, features.channels, h / features.stride, w / features.stride]);
      expect((emb?.data as Float32Array).every(Number.isFinite)).toBe(true);
      expect((feat?.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
  }, 60_000);

  it('spells out every Conv attribute (WebGPU rejects a missing one)', () => {
    const model = onnx.ModelProto.decode(readFileSync(path.join(modelsDir, manifestOf(id).file)));
    const nodes = model.graph?.node ?? [];
    const required: Record<string, string[]> = {
      Conv: ['dilations', 'group', 'kernel_shape', 'pads', 'strides'],
      AveragePool: ['ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides'],
    };
    const convs = nodes.filter((n) => n.opType === 'Conv');
    expect(convs.length).toBeGreaterThan(0);
    for (const n of nodes) {
      const want = required[n.opType ?? ''];
      if (!want) continue;
      const have = new Set((n.attribute ?? []).map((a) => a.name));
      expect(want.filter((a) => !have.has(a)), `${n.opType} ${n.name}`).toEqual([]);
    }
  });
});

describe('ppocr-v4-backbone graph', () => {
  it('is pruned to the two outputs, with a dynamic input', () => {
    const model = onnx.ModelProto.decode(readFileSync(path.join(modelsDir, 'ppocr-v4-backbone.onnx')));
    const g = model.graph;
    expect((g?.output ?? []).map((o) => o.name)).toEqual(['embedding', 'features']);
    const ops = new Set((g?.node ?? []).map((n) => n.opType));
    expect(ops.has('ConvTranspose')).toBe(false); // the detection head is gone
    expect(ops.has('Sigmoid')).toBe(false);
    const dims = g?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 3, 'H', 'W']);
  });
});

describe('tiny-filters', () => {
  // features channels: Y, RG, BY, gx, gy, |gx|, |gy|, |lap|
  const GX = 3;
  const GY = 4;
  const AGX = 5;
  const AGY = 6;
  const h = 64;
  const w = 96;

  async function features(image: ort.Tensor): Promise<{ at: (c: number, y: number, x: number) => number; fh: number; fw: number }> {
    const out = await (await session('tiny-filters')).run({ x: image });
    const f = out.features;
    if (!f) throw new Error('no features');
    const [, , fh = 0, fw = 0] = f.dims;
    const data = f.data as Float32Array;
    return { at: (c, y, x) => data[(c * fh + y) * fw + x] ?? NaN, fh, fw };
  }

  it('responds to a vertical edge in gx only, at the edge, with its polarity', async () => {
    // Dark left, bright right; the step lies between columns 41 and 42, both in feature column 10.
    const { at, fh, fw } = await features(grey(h, w, (_y, x) => (x >= 42 ? 0.9 : 0.1)));
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        const onEdge = x === 10;
        // Sobel/4 gives 0.8 on the two columns beside the step: 2 of 4 columns in the cell.
        expect(at(GX, y, x)).toBeCloseTo(onEdge ? 0.4 : 0, 4);
        expect(at(AGX, y, x)).toBeCloseTo(onEdge ? 0.4 : 0, 4);
        expect(at(GY, y, x)).toBeCloseTo(0, 4);
        expect(at(AGY, y, x)).toBeCloseTo(0, 4); // no false edges at the image border either
      }
    }
    // Bright left, dark right: the signed gradient flips, its magnitude does not.
    const flipped = await features(grey(h, w, (_y, x) => (x >= 42 ? 0.1 : 0.9)));
    expect(flipped.at(GX, 3, 10)).toBeCloseTo(-0.4, 4);
    expect(flipped.at(AGX, 3, 10)).toBeCloseTo(0.4, 4);
  });

  it('responds to a horizontal edge in gy only', async () => {
    const { at, fw } = await features(grey(h, w, (y) => (y >= 30 ? 1 : 0)));
    for (let x = 0; x < fw; x++) {
      expect(at(GY, 7, x)).toBeCloseTo(0.5, 4); // rows 29 and 30 in feature row 7
      expect(at(GY, 5, x)).toBeCloseTo(0, 4);
      expect(at(GX, 7, x)).toBeCloseTo(0, 4);
    }
  });

  it('moves its embedding on a scene cut, not on a small shift', async () => {
    const s = await session('tiny-filters');
    const embed = async (image: ort.Tensor) => (await s.run({ x: image })).embedding?.data as Float32Array;
    const cosine = (a: Float32Array, b: Float32Array) => {
      let ab = 0;
      let aa = 0;
      let bb = 0;
      a.forEach((v, i) => {
        const u = b[i] ?? 0;
        ab += v * u;
        aa += v * v;
        bb += u * u;
      });
      return ab / Math.sqrt(aa * bb);
    };
    const textured = (dx: number) => grey(h, w, (y, x) => 0.5 + 0.4 * Math.sin((x + dx) / 9) * Math.cos(y / 7));
    // A flat reddish scene: R 0.8, G 0.3, B 0.2.
    const red = new ort.Tensor('float32', new Float32Array(3 * h * w).map((_, i) => [0.8, 0.3, 0.2][Math.floor(i / (h * w))] ?? 0), [1, 3, h, w]);
    const a = await embed(textured(0));
    expect(cosine(a, await embed(textured(2)))).toBeGreaterThan(0.99);
    expect(cosine(a, await embed(red))).toBeLessThan(0.9);
  });
});
