/**
 * The data half of an exported Keras script: the loss and metrics `compile()` gets (the shared
 * rule of `loss.ts`, so they are the browser's) and the data set's `load_data()` with the
 * imports and helpers it uses. The layer half stays in `emit/keras.ts`.
 */
import type { TrainingSettings } from '../training';
import type { CompileResult } from '../types';
import { datasetSpec } from './index';
import { KERAS_LOSSES, KERAS_METRICS, outputInfo, planLoss, type LossPlan } from './loss';
import { PY_RNG } from './rng';
import { pyCommentText } from '../emit/python';

/** The warning an export carries when the browser refuses the set-up. */
export function refusalText(title: string, message: string, where = 'compile_model()'): string {
  return `Layerboard does not train this graph on ${title} in the browser: ${message} ${where} uses the loss the browser resolves all the same; fix the graph before training.`;
}

function pyComment(text: string): string {
  const lines: string[] = [];
  let line = '#';
  for (const word of pyCommentText(text).split(' ')) {
    if (line.length + word.length > 96) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line].join('\n');
}

export interface KerasData {
  /** The Keras loss name, e.g. `categorical_crossentropy`. */
  loss: string;
  /** Keras metric names, e.g. `["accuracy"]`. */
  metrics: string[];
  /** Standard-library modules `code` uses, sorted. */
  imports: string[];
  /** `load_data()` and what it needs, as Python source. */
  code: string;
  /** Why the browser refuses to train this set-up, or null. */
  refusal: string | null;
  /** The loss, target encoding and metrics as the browser plans them (the PyTorch script writes its own loss from it). */
  plan: LossPlan;
}

const STDLIB = ['csv', 'gzip', 'io', 'math', 'os', 'struct', 'sys'];

/**
 * What the script trains with and on. Where the browser refuses to train the graph with this
 * loss (e.g. cross-entropy on a linear output), the script keeps the loss the browser resolves
 * (never a different one that would quietly make it train) and says why in a comment above
 * `load_data()`, in the browser's words: the graph is still exportable as a model.
 */
export function kerasData(result: CompileResult, settings: TrainingSettings, framework: 'keras' | 'pytorch' = 'keras'): KerasData {
  const spec = datasetSpec(settings.dataset);
  const out = outputInfo({ ...result, outputs: result.outputs.slice(0, 1) })!;
  const plan = planLoss(settings.loss, spec.task(settings), out, spec.title);
  const inputShape = result.nodes[result.inputs[0]].outputShape!;
  let code: string;
  if (result.inputs.length !== 1 || result.outputs.length !== 1) {
    code = `def load_data():\n    """This model has ${result.inputs.length} inputs and ${result.outputs.length} outputs: return lists of arrays, one per input and output."""\n    raise NotImplementedError("load your data here")`;
  } else {
    code = spec.python({ settings, inputShape, units: out.units, encoding: plan.encoding, framework });
    if (code.includes('_Mulberry32')) code = `${PY_RNG}\n\n\n${code}`;
  }
  if (plan.refusal) code = `${pyComment(refusalText(spec.title, plan.refusal.message, framework === 'keras' ? undefined : 'main()'))}\n${code}`;
  return {
    loss: KERAS_LOSSES[plan.loss],
    metrics: plan.metrics.map((m) => KERAS_METRICS[m] ?? m),
    // String literals are data: a label column named "os.x" imports nothing.
    imports: STDLIB.filter((m) => new RegExp(`\\b${m}\\.`).test(code.replace(/"(?:[^"\\\n]|\\.)*"/g, '""'))),
    code,
    refusal: plan.refusal?.message ?? null,
    plan,
  };
}
