/**
 * Exports graph documents to ONNX and runs each file in onnxruntime (onnxruntime-web's wasm
 * backend, in Node) beside tfjs `predict` with the same weights. Reads
 * `{dir, cases: [{key, doc, run}]}` on standard input, writes one result per case as JSON.
 * Run as a child process (`npx tsx`): tfjs builds large models much faster outside jest's sandbox.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { compile, registerCustomLayers, toTfjsModel, type GraphDocument } from '../../graph-compiler';
import { toOnnx } from '../../graph-compiler/emit/onnx';
import { nodeWeights } from '../../graph-compiler/emit/weights';
import { mulberry32 } from '../../graph-compiler/datasets/rng';
import { withSeededMathRandom } from '../../lib/datasets/rng';

tf.env().set('PROD', true);
registerCustomLayers(tf);
ort.env.wasm.numThreads = 1;

interface Case { key: string; doc: GraphDocument; run: boolean }

/** NHWC ↔ NCHW of a batch-1 image tensor's values. */
function toNchw(values: Float32Array, [h, w, c]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[k * h * w + y * w + x] = values[(y * w + x) * c + k];
  return out;
}

async function main(): Promise<void> {
  const { dir, cases } = JSON.parse(readFileSync(0, 'utf8')) as { dir: string; cases: Case[] };
  const results = [];
  for (const c of cases) {
    const result = compile(c.doc);
    const model = await withSeededMathRandom(7, () => toTfjsModel(tf, result));
    const out = toOnnx(result, nodeWeights(model, result), c.doc.name);
    if (!out.ok) {
      results.push({ key: c.key, messages: out.messages });
      model.dispose();
      continue;
    }
    const file = path.join(dir, `${c.key.replace(/[^a-z0-9]+/gi, '_')}.onnx`);
    writeFileSync(file, out.bytes);
    let maxDiff: number | null = null;
    let maxAbs = 0;
    if (c.run) {
      const rand = mulberry32(11);
      const feeds: Record<string, ort.Tensor> = {};
      const xs = result.inputs.map((id, i) => {
        const shape = result.nodes[id].outputShape!;
        const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1);
        const onnxValues = shape.length === 3 ? toNchw(values, shape) : values;
        const dims = shape.length === 3 ? [1, shape[2], shape[0], shape[1]] : [1, ...shape];
        feeds[out.inputs[i]] = new ort.Tensor('float32', onnxValues, dims);
        return tf.tensor(values, [1, ...shape]);
      });
      const predicted = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor | tf.Tensor[];
      const tfOuts = (Array.isArray(predicted) ? predicted : [predicted]).map((t) => t.dataSync() as Float32Array);
      const session = await ort.InferenceSession.create(out.bytes);
      const fetched = await session.run(feeds);
      maxDiff = 0;
      result.outputs.forEach((id, i) => {
        const shape = result.nodes[id].outputShape!;
        const got = fetched[out.outputs[i]].data as Float32Array;
        const want = shape.length === 3 ? toNchw(tfOuts[i], shape) : tfOuts[i];
        if (got.length !== want.length) maxDiff = Infinity;
        for (let k = 0; k < want.length; k++) {
          maxDiff = Math.max(maxDiff!, Math.abs(got[k] - want[k]));
          maxAbs = Math.max(maxAbs, Math.abs(want[k]));
        }
      });
      await session.release();
      tf.dispose([...xs, ...(Array.isArray(predicted) ? predicted : [predicted])]);
    }
    model.dispose();
    results.push({ key: c.key, file, tensors: out.tensors, maxDiff, maxAbs });
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e));
  process.exitCode = 1;
});
