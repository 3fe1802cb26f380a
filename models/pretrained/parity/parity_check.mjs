// Runs nsfwjs 4.3.0's MobileNetV2 (TF.js layers model) with the pure-JS CPU backend
// on the inputs written by compare_parity.py and writes the reference outputs.
//
//   node parity_check.mjs <nsfwjs-4.3.0.tgz | unpacked nsfwjs dir> <work dir>
//
// <work dir>/inputs.json lists float32 NHWC RGB [0,1] input files (little-endian raw).
// For each input set it writes:
//   <name>.tfjs_block10.bin : block_10_project_BN output (NHWC) for input x*2-1
//                              (Keras MobileNetV2 preprocessing, as the .pt files do inside)
//   <name>.tfjs_full_gap.bin: mean over H,W of out_relu (N,1280) for input x as-is
//                              (nsfwjs's own contract; only for 224x224 sets)
// Nothing is downloaded. Needs: npm ci (in this folder) for the pinned @tensorflow packages.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

const MODEL_DIR = 'dist/models/mobilenet_v2/';

function readTarGz(file) {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  const files = new Map();
  for (let off = 0; off + 512 <= buf.length;) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const name = (str(345, 500) ? str(345, 500) + '/' : '') + str(0, 100);
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = str(156, 157);
    if (type === '0' || type === '') files.set(name, buf.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return (rel) => files.get('package/' + rel) ?? files.get(rel) ?? null;
}

function openSource(src) {
  if (fs.statSync(src).isFile()) return readTarGz(src);
  return (rel) => (fs.existsSync(path.join(src, rel)) ? fs.readFileSync(path.join(src, rel)) : null);
}

// nsfwjs ships the model as browserify UMD bundles; evaluate them in an empty sandbox
// (they only build an object literal / a base64 string) and take module.exports.
function evalBundle(code) {
  const sandbox = { module: { exports: {} } };
  sandbox.exports = sandbox.module.exports;
  vm.runInNewContext(code.toString('utf8'), sandbox, { timeout: 60000 });
  // Round-trip through JSON so arrays/objects belong to this realm (tfjs uses instanceof Array).
  return JSON.parse(JSON.stringify(sandbox.module.exports));
}

function loadArtifacts(src) {
  const read = openSource(src);
  let model; let bundled = false;
  let raw = read(MODEL_DIR + 'model.json');
  if (raw) model = JSON.parse(raw.toString('utf8'));
  else {
    raw = read(MODEL_DIR + 'model.min.js');
    if (!raw) throw new Error(`no ${MODEL_DIR}model.json or model.min.js in ${src}`);
    model = evalBundle(raw); bundled = true;
  }
  const chunks = [];
  const weightSpecs = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) {
      let data = read(MODEL_DIR + p);
      if (!data) {
        const js = read(MODEL_DIR + p + '.min.js');
        if (!js) throw new Error(`weight shard ${p} not found`);
        data = Buffer.from(evalBundle(js), 'base64');
      }
      chunks.push(data);
    }
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(chunks);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return { modelTopology: model.modelTopology, weightSpecs, weightData, bundled };
}

// Same model, input size changed and the graph cut after block_10 (the 7x7 average pool of
// the classifier head would not fit a 112x112 input). Unused weights are skipped (strict=false).
function truncatedTopology(topology, size, lastLayer) {
  const t = JSON.parse(JSON.stringify(topology));
  const cfg = t.model_config.config;
  const byName = new Map(cfg.layers.map((l) => [l.name, l]));
  const keep = new Set();
  const visit = (n) => {
    if (keep.has(n)) return;
    keep.add(n);
    for (const node of byName.get(n).inbound_nodes) for (const inb of node) visit(inb[0]);
  };
  visit(lastLayer);
  cfg.layers = cfg.layers.filter((l) => keep.has(l.name));
  cfg.layers[0].config.batch_input_shape = [null, size, size, 3];
  cfg.output_layers = [[lastLayer, 0, 0]];
  return t;
}

async function main() {
  const [src, work] = process.argv.slice(2);
  if (!src || !work) {
    console.error('usage: node parity_check.mjs <nsfwjs-4.3.0.tgz | nsfwjs dir> <work dir>');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const art = loadArtifacts(src);
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'inputs.json'), 'utf8'));
  const models = new Map();
  const getModel = async (size) => {
    if (!models.has(size)) {
      const full = size === 224;
      const topo = full ? art.modelTopology : truncatedTopology(art.modelTopology, size, 'block_10_project_BN');
      const m = await tfl.loadLayersModel(
        tf.io.fromMemory({ modelTopology: topo, weightSpecs: art.weightSpecs, weightData: art.weightData }),
        { strict: full });
      const outs = [m.getLayer('block_10_project_BN').output];
      if (full) outs.push(m.getLayer('out_relu').output);
      models.set(size, { model: tfl.model({ inputs: m.inputs, outputs: outs }), full });
    }
    return models.get(size);
  };
  const report = { backend: tf.getBackend(), tfjs_core: tf.version_core, tfjs_layers: tfl.version_layers,
    model_source: art.bundled ? 'JS bundles (model.min.js + shard .min.js)' : 'model.json + shards', sets: [] };
  for (const set of manifest.sets) {
    const [n, h, w, c] = set.shape;
    if (h !== w || c !== 3) throw new Error(`unsupported shape ${set.shape}`);
    const buf = fs.readFileSync(path.join(work, set.file));
    const x = tf.tensor4d(new Float32Array(buf.buffer, buf.byteOffset, n * h * w * c), [n, h, w, c], 'float32');
    const { model, full } = await getModel(h);
    const t0 = Date.now();
    const xk = tf.sub(tf.mul(x, 2), 1); // Keras MobileNetV2 preprocess_input: [0,1] -> [-1,1]
    let outs = model.predict(xk);
    if (!Array.isArray(outs)) outs = [outs];
    const b10 = await outs[0].data();
    fs.writeFileSync(path.join(work, set.name + '.tfjs_block10.bin'), Buffer.from(b10.buffer, b10.byteOffset, b10.byteLength));
    const entry = { name: set.name, block10_shape: outs[0].shape };
    if (full) {
      let o2 = model.predict(x); // nsfwjs feeds [0,1] directly
      const gap = tf.mean(o2[1], [1, 2]);
      const g = await gap.data();
      fs.writeFileSync(path.join(work, set.name + '.tfjs_full_gap.bin'), Buffer.from(g.buffer, g.byteOffset, g.byteLength));
      entry.full_gap_shape = gap.shape;
      tf.dispose([o2, gap]);
    }
    entry.ms = Date.now() - t0;
    report.sets.push(entry);
    tf.dispose([x, xk, outs]);
    console.log(`tfjs ${set.name}: block10 ${JSON.stringify(entry.block10_shape)}` +
      (entry.full_gap_shape ? ` full_gap ${JSON.stringify(entry.full_gap_shape)}` : '') + ` (${entry.ms} ms)`);
  }
  fs.writeFileSync(path.join(work, 'tfjs_report.json'), JSON.stringify(report, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
