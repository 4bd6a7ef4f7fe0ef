/**
 * `export onnx <file|-> --out OUT.onnx [--seed N]` writes the ONNX model of a graph document with
 * its initial weights (tfjs's initializers, seeded); `import FILE.onnx` (through `import`, which
 * tells ONNX from JSON by the file's first bytes) prints the graph document of an ONNX model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from '../../graph-compiler';
import { toOnnx } from '../../graph-compiler/emit/onnx';
import { fromOnnx } from '../../graph-compiler/interop/onnx-import';
import type { CommandResult } from '../layerboard';
import { errorLines, failure, parseOptions, readDocument } from './io';

export const EXPORT_ONNX_USAGE = 'layerboard export onnx <file|-> --out OUT.onnx [--seed N]';

/** Builds the tfjs model of the graph (seeded) for its initial weights, then writes the `.onnx` file. */
export async function exportOnnx(args: string[], stdin: () => string): Promise<CommandResult> {
  const { positional, options, problem } = parseOptions(args, ['out', 'seed']);
  if (problem) return failure(`export onnx: ${problem}`, EXPORT_ONNX_USAGE);
  if (positional.length !== 1) return failure('export onnx takes one graph document (or - for standard input)', EXPORT_ONNX_USAGE);
  if (!options.out) return failure('export onnx writes a binary file, so it needs --out OUT.onnx (it does not print to standard output)', EXPORT_ONNX_USAGE);
  const seed = options.seed === undefined ? 1 : Number(options.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) return failure(`export onnx: --seed must be a whole number from 0 to 4294967295, not "${options.seed}"`, EXPORT_ONNX_USAGE);
  const read = readDocument(positional[0], stdin);
  if (!read.ok) return failure(read.message);
  if (!read.result.ok) {
    return { stdout: '', stderr: `${errorLines(read.result.diagnostics)}layerboard: the graph has errors, so it is not a model yet; fix them first.\n`, code: 1 };
  }
  // Refuse before building weights (VGG16 takes seconds) when a layer has no ONNX form.
  const empty = toOnnxDryRun(read.result);
  if (empty) return { stdout: '', stderr: empty.map((m) => `layerboard: ${m}\n`).join(''), code: 1 };
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true);
  const { registerCustomLayers, toTfjsModel } = await import('../../graph-compiler');
  const { nodeWeights } = await import('../../graph-compiler/emit/weights');
  const { withSeededMathRandom } = await import('../../lib/datasets/rng');
  registerCustomLayers(tf);
  const model = await withSeededMathRandom(seed, () => toTfjsModel(tf, read.result));
  const out = toOnnx(read.result, nodeWeights(model, read.result), read.doc.name);
  model.dispose();
  if (!out.ok) return { stdout: '', stderr: out.messages.map((m) => `layerboard: ${m}\n`).join(''), code: 1 };
  try {
    writeFileSync(options.out, out.bytes);
  } catch (e) {
    return failure(`${options.out} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { stdout: '', stderr: `layerboard: wrote ${options.out} (${out.bytes.length} bytes, ${read.result.totals.totalParams} weights, opset 13, NCHW)\n`, code: 0 };
}

/** The export's refusals without weights (each node with weights gets zeros), or null when every node has an ONNX form. */
function toOnnxDryRun(result: ReturnType<typeof compile>): string[] | null {
  const out = toOnnx(result, {});
  if (out.ok) return null;
  const refusals = out.messages.filter((m) => !/weight ".*" is missing/.test(m));
  return refusals.length ? refusals : null;
}

/** Whether a file's first bytes are those of an ONNX model rather than JSON text. */
export function isOnnxFile(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i < bytes.length && bytes[i] !== 0x7b && bytes[i] !== 0x5b && bytes[i] !== 0x22;
}

/** Reads a path's bytes when they are not JSON text; null for JSON (or standard input, which is text). */
export function readOnnxBytes(path: string): Uint8Array | null {
  if (path === '-') return null;
  try {
    const bytes = new Uint8Array(readFileSync(path));
    return isOnnxFile(bytes) ? bytes : null;
  } catch {
    return null;
  }
}

/** `import FILE.onnx`: the document on standard output; notes on standard error; exit 1 when nodes were left out. */
export function importOnnx(bytes: Uint8Array, label: string): CommandResult {
  const imported = fromOnnx(bytes);
  if (!imported.ok) return failure(`${label}: ${imported.message}`);
  const result = compile(imported.doc);
  return {
    stdout: `${JSON.stringify(imported.doc, null, 2)}\n`,
    stderr: imported.messages.map((m) => `layerboard: ${m}\n`).join('') + errorLines(result.diagnostics),
    code: imported.leftOut.length === 0 && result.ok ? 0 : 1,
  };
}
