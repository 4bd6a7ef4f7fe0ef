/**
 * `export pytorch <file|-> [--weights-out W.npz] [--seed N]`: the PyTorch script on standard
 * output; with `--weights-out`, the weights the browser's model starts from (tfjs initialisers
 * seeded as a browser run seeds them: the document's seed unless `--seed`), in the script's
 * state_dict layout, as `.npz` for its `--weights`.
 */
import { writeFileSync } from 'node:fs';
import type * as tfjs from '@tensorflow/tfjs';
import { checkTraining, registerCustomLayers, type CompileResult } from '../../graph-compiler';
import { toNpz } from '../../graph-compiler/emit/npz';
import { pytorchRefusals, pytorchStateDict, toPytorch } from '../../graph-compiler/emit/pytorch';
import { setFixedWeights, toModelTopology, toNamedTopology } from '../../graph-compiler/emit/tfjs';
import { nodeWeights } from '../../graph-compiler/emit/weights';
import { withSeededMathRandom } from '../../lib/datasets/rng';
import { errorLines, failure, parseOptions, readDocument, type Command } from './io';

const USAGE = 'layerboard export pytorch <file|-> [--weights-out W.npz] [--seed N]';

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

/**
 * tfjs-layers' `convertPythonicToTs` (utils/serialization_utils, not exported): the snake_case
 * model.json topology as the camelCase config `LayersModel.fromConfig` takes.
 */
function pythonicToTs(v: Json, key?: string): Json {
  const camel = (s: string) => s.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return camel(v);
  if (Array.isArray(v)) {
    return v.map((item, i) => ((key === 'inboundNodes' || key === 'outputLayers' || key === 'inputLayers') && i === 0 && typeof item === 'string'
      ? item : pythonicToTs(item, key)));
  }
  const out: { [k: string]: Json } = {};
  for (const [k, value] of Object.entries(v)) {
    if (k === 'name' && typeof value === 'string') out[k] = value;
    else out[camel(k)] = pythonicToTs(value, camel(k));
  }
  return out;
}

/**
 * The tfjs model of the graph, built synchronously as `tf.models.modelFromJSON` builds it (the
 * command line's commands are synchronous), with `Math.random` seeded around it.
 */
function seededModel(result: CompileResult, seed: number): tfjs.LayersModel {
  // tfjs loads only for this option: it takes a second, which every other command is spared.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as typeof tfjs;
  tf.env().set('PROD', true);
  registerCustomLayers(tf);
  const config = pythonicToTs(toModelTopology(result) as unknown as Json) as { config: Json };
  const model = withSeededMathRandom(seed, () => tf.LayersModel.fromConfig(tf.LayersModel, config.config as never) as tfjs.LayersModel);
  setFixedWeights(tf, model, result, toNamedTopology(result).layerOf);
  return model;
}

export const exportPytorch: Command = (args, stdin) => {
  const { positional, options, problem } = parseOptions(args, ['weights-out', 'seed']);
  if (problem) return failure(`export pytorch: ${problem}`, USAGE);
  if (positional.length !== 1) return failure('export pytorch takes one graph document (or - for standard input)', USAGE);
  if (options.seed !== undefined && !/^\d{1,9}$/.test(options.seed)) return failure(`export pytorch: --seed must be a whole number ≥ 0 (not "${options.seed}")`, USAGE);
  const read = readDocument(positional[0], stdin);
  if (!read.ok) return failure(read.message);
  if (!read.result.ok) {
    return { stdout: '', stderr: `${errorLines(read.result.diagnostics)}layerboard: the graph has errors, so it is not a model yet; fix them first.\n`, code: 1 };
  }
  const script = toPytorch(read.doc, read.result);
  const refusals = pytorchRefusals(read.result);
  if (refusals.length) {
    const lines = refusals.map((r) => `layerboard: PyTorch cannot compute ${r}\n`).join('');
    return { stdout: script, stderr: `${lines}layerboard: the script's Model raises instead of computing something else${options['weights-out'] ? '; no weights written' : ''}.\n`, code: 1 };
  }
  const out = options['weights-out'];
  if (out !== undefined) {
    const seed = options.seed !== undefined ? Number(options.seed) : checkTraining(read.doc.training).settings.seed;
    const model = seededModel(read.result, seed);
    try {
      writeFileSync(out, toNpz(pytorchStateDict(read.result, nodeWeights(model, read.result))));
    } catch (e) {
      return failure(`export pytorch: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    } finally {
      model.dispose();
    }
  }
  return { stdout: script, stderr: '', code: 0 };
};
