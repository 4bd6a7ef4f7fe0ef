/**
 * PyTorch as the judge of the exported scripts: one /usr/bin/python3 process imports every
 * case's script, builds its Model, counts its parameters and buffers, loads the weights the
 * export wrote (`.npz`) and runs the inputs, and prints what it found as JSON. Cases are batched
 * because importing torch takes seconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compile, toTfjsModel, type CompileResult, type GraphDocument } from '@/graph-compiler';
import { toNpz } from '@/graph-compiler/emit/npz';
import { pytorchStateDict, toPytorch } from '@/graph-compiler/emit/pytorch';
import { nodeWeights } from '@/graph-compiler/emit/weights';
import { mulberry32 } from '@/graph-compiler/datasets/rng';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import { PYTHON } from '../datasets/python-reference';

/** A channels-last array with its batch axis. */
export interface Arr {
  shape: number[];
  values: number[];
}

export interface TorchCase {
  script: string;
  /** Shapes of the model's inputs without the batch axis (channels-last), for a forward pass on zeros. */
  inputShapes: number[][];
  weights?: string;
  inputs?: Arr[];
}

export interface TorchVerdict {
  trainable?: number;
  buffers?: number;
  /** Output shapes, channels-last, without the batch axis. */
  outputShapes?: number[][];
  /** Outputs, channels-last, flattened (when inputs were given). */
  outputs?: number[][];
  error?: string;
}

const DRIVER = `
import gc, importlib.util, json, sys
import torch
out = []
for i, case in enumerate(json.load(sys.stdin)):
    try:
        spec = importlib.util.spec_from_file_location(f"exported_{i}", case["script"])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        torch.manual_seed(0)
        model = mod.Model().eval()
        r = {"trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
             "buffers": sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))}
        if case.get("weights"):
            mod.load_weights(model, case["weights"])

        def to_model(a):
            t = torch.tensor(a["values"], dtype=torch.float32).reshape(a["shape"])
            return t.permute(0, 3, 1, 2) if t.dim() == 4 else t

        if case.get("inputs"):
            xs = [to_model(a) for a in case["inputs"]]
        else:
            xs = [to_model({"shape": [1] + s, "values": [0.0] * int(torch.tensor(s).prod().item())}) for s in case["inputShapes"]]
        with torch.no_grad():
            ys = model(*xs)
        ys = ys if isinstance(ys, tuple) else (ys,)
        ys = [y.permute(0, 2, 3, 1) if y.dim() == 4 else y for y in ys]
        r["outputShapes"] = [list(y.shape[1:]) for y in ys]
        if case.get("inputs"):
            r["outputs"] = [y.reshape(-1).tolist() for y in ys]
        del model, mod, xs, ys
        gc.collect()
    except Exception as e:
        r = {"error": f"{type(e).__name__}: {e}"}
    out.append(r)
json.dump(out, sys.stdout)
`;

/** Runs every case in one Python process. */
export function judge(cases: TorchCase[]): TorchVerdict[] {
  const out = execFileSync(PYTHON, ['-c', DRIVER], { input: JSON.stringify(cases), maxBuffer: 1 << 30, encoding: 'utf8' });
  return JSON.parse(out);
}

/** A fresh temporary directory for one test file's scripts and weights. */
export function workDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `layerboard-${prefix}-`));
}

/** The tfjs model of a result with seeded initial weights, biases and normalisation statistics moved off their start (so a mistake in their layout shows). */
export async function seededModel(result: CompileResult, seed: number): Promise<tf.LayersModel> {
  const model = await withSeededMathRandom(seed, () => toTfjsModel(tf, result));
  let s = seed;
  for (const layer of model.layers) {
    const ws = layer.weights;
    if (ws.length === 0) continue;
    layer.setWeights(ws.map((w) => {
      const shape = w.shape as number[];
      const name = w.originalName ?? w.name;
      if (/moving_variance|gamma/.test(name)) return tf.randomUniform(shape, 0.5, 1.5, 'float32', ++s);
      if (/bias|beta|moving_mean/.test(name)) return tf.randomUniform(shape, -0.2, 0.2, 'float32', ++s);
      return w.read().clone();
    }));
  }
  return model;
}

/** Random inputs for a result's Input nodes (batch of `n`): ids below the vocabulary for an Input that feeds an Embedding. */
export function randomInputs(result: CompileResult, n: number, seed: number): Arr[] {
  const rand = mulberry32(seed);
  return result.inputs.map((id) => {
    const shape = result.nodes[id].outputShape!;
    const vocab = Object.values(result.nodes).filter((x) => x.type === 'Embedding' && x.inputIds.includes(id)).map((x) => Number(x.params!.inputDim));
    const count = n * shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: count }, () => (vocab.length ? Math.floor(rand() * Math.min(...vocab)) : rand() * 2 - 1));
    return { shape: [n, ...shape], values };
  });
}

export interface Prepared {
  name: string;
  result: CompileResult;
  case: TorchCase;
  /** tfjs's outputs for the case's inputs, flattened, when weights and outputs are compared. */
  expected?: number[][];
}

/**
 * Exports a document for the judge: the script, and when `compare` is set the seeded tfjs
 * model's weights as `.npz` and tfjs's `predict` on random inputs.
 */
export async function prepare(dir: string, name: string, doc: GraphDocument, compare: (r: CompileResult) => boolean, seed = 1): Promise<Prepared> {
  const result = compile(doc);
  if (!result.ok) throw new Error(`${name} does not compile: ${result.diagnostics.find((d) => d.severity === 'error')?.message}`);
  const script = path.join(dir, `${name.replace(/\W+/g, '_')}.py`);
  writeFileSync(script, toPytorch(doc, result));
  const inputShapes = result.inputs.map((id) => result.nodes[id].outputShape!);
  if (!compare(result)) return { name, result, case: { script, inputShapes } };
  const model = await seededModel(result, seed);
  try {
    const weights = script.replace(/\.py$/, '.npz');
    writeFileSync(weights, toNpz(pytorchStateDict(result, nodeWeights(model, result))));
    const inputs = randomInputs(result, 2, seed);
    const expected = tf.tidy(() => {
      const ys = model.predict(inputs.map((a) => tf.tensor(a.values, a.shape)));
      return (Array.isArray(ys) ? ys : [ys]).map((y) => Array.from(y.dataSync()));
    });
    return { name, result, case: { script, inputShapes, weights, inputs }, expected };
  } finally {
    model.dispose();
  }
}

/** The largest difference between two lists of outputs, relative to the size of the expected values above 1. */
export function maxDifference(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((xs, i) => xs.forEach((x, j) => {
    const y = b[i][j];
    const d = Math.abs(x - y) / Math.max(1, Math.abs(x));
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }));
  return worst;
}
