/**
 * Rosenblatt's perceptron learning rule, pure (no tfjs): a single layer whose output is a
 * Heaviside step has a zero gradient, so gradient descent cannot train it; the course trains
 * it by w ← w + η(y − ŷ)x, b ← b + η(y − ŷ), one example at a time, which only moves the
 * weights on a mistake. On linearly separable data it reaches a pass without a mistake in a
 * finite number of updates (Novikoff's theorem), whatever the starting weights; on data no
 * straight line separates (exclusive or) it never does.
 *
 * The run (`run.ts`) drives it on the model's own weights; the run check (`check.ts`) chooses
 * it, for the hand-built perceptron and the template alike.
 */
import type { CompileResult } from '@/graph-compiler';

/** The rule's name, as the training panel shows it. */
export const PERCEPTRON_RULE_TITLE = 'Perceptron learning rule';

/** The training rule a run uses: gradient descent with an optimizer, or the perceptron rule. */
export type TrainingRule = 'gradient' | 'perceptron';

/** Where a graph's perceptron is: the Dense holding w and b, and the layer applying the step. */
export interface PerceptronGraph {
  denseId: string;
  /** The Dense itself (activation step) or the Activation(step) after it. */
  stepId: string;
  /** Length of x. */
  inputs: number;
}

/**
 * The perceptron in a compiled graph, or null: Input([n]) → Dense(1 unit, step), or
 * Input([n]) → Dense(1 unit, linear) → Activation(step), and nothing else.
 */
export function perceptronOf(result: CompileResult): PerceptronGraph | null {
  if (!result.ok || result.inputs.length !== 1 || result.outputs.length !== 1) return null;
  const input = result.nodes[result.inputs[0]];
  if (input?.outputShape?.length !== 1) return null;
  let node = result.nodes[result.outputs[0]];
  const stepId = node?.id;
  if (node?.type === 'Activation') {
    if (node.params?.activation !== 'step' || node.inputIds.length !== 1) return null;
    node = result.nodes[node.inputIds[0]];
    if (node?.type !== 'Dense' || node.params?.activation !== 'linear') return null;
  } else if (node?.type !== 'Dense' || node.params?.activation !== 'step') {
    return null;
  }
  if (node.params?.units !== 1 || node.inputIds.length !== 1 || node.inputIds[0] !== input.id) return null;
  if (Object.keys(result.nodes).length !== (stepId === node.id ? 2 : 3)) return null;
  return { denseId: node.id, stepId, inputs: input.outputShape[0] };
}

/** The perceptron's weights; the rule changes them in place. */
export interface PerceptronWeights {
  w: Float64Array;
  b: number;
  /** False for a Dense without bias: b stays 0. */
  useBias: boolean;
}

/** ŷ = step(w·x + b): 1 where the weighted sum is above 0, else 0 (as tf.step does). */
export function perceptronPredict(p: Pick<PerceptronWeights, 'w' | 'b'>, x: ArrayLike<number>, offset = 0): 0 | 1 {
  let s = p.b;
  for (let k = 0; k < p.w.length; k++) s += p.w[k] * x[offset + k];
  return s > 0 ? 1 : 0;
}

/** One update of the rule, made on a mistake. */
export interface PerceptronUpdate {
  /** 1-based epoch and position of the example within the epoch's pass. */
  epoch: number;
  position: number;
  /** 1-based count of updates since the run started. */
  update: number;
  /** The example's index in its split. */
  example: number;
  x: number[];
  /** The true class and the one predicted before the update. */
  y: 0 | 1;
  predicted: 0 | 1;
  dw: number[];
  db: number;
  /** The weights after the update. */
  w: number[];
  b: number;
}

/** Features `x` (n × inputs, flat), classes `y` (0 or 1) and the order of this epoch's pass. */
export interface PerceptronPass {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  order: ArrayLike<number>;
  eta: number;
  epoch: number;
  /** Updates made before this pass (to number them). */
  updatesBefore: number;
}

/**
 * One pass over the examples in `order`: yields each update as it is made (the weights have
 * changed when it is yielded) and returns the number of mistakes of the pass.
 */
export function* perceptronEpoch(p: PerceptronWeights, pass: PerceptronPass): Generator<PerceptronUpdate, number, void> {
  const d = p.w.length;
  let mistakes = 0;
  for (let i = 0; i < pass.order.length; i++) {
    const id = pass.order[i];
    const y = pass.y[id] > 0.5 ? 1 : 0;
    const predicted = perceptronPredict(p, pass.x, id * d);
    if (predicted === y) continue;
    mistakes++;
    const step = pass.eta * (y - predicted);
    const x = Array.from({ length: d }, (_, k) => pass.x[id * d + k]);
    // + 0 turns −0 into 0, for the panel and for comparisons.
    const dw = x.map((v) => step * v + 0);
    for (let k = 0; k < d; k++) p.w[k] += dw[k];
    const db = p.useBias ? step : 0;
    p.b += db;
    yield {
      epoch: pass.epoch, position: i + 1, update: pass.updatesBefore + mistakes, example: id,
      x, y, predicted, dw, db, w: Array.from(p.w), b: p.b,
    };
  }
  return mistakes;
}

/** How many of `n` examples the weights get wrong. */
export function perceptronErrors(p: Pick<PerceptronWeights, 'w' | 'b'>, x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let wrong = 0;
  for (let i = 0; i < n; i++) if (perceptronPredict(p, x, i * p.w.length) !== (y[i] > 0.5 ? 1 : 0)) wrong++;
  return wrong;
}

/** The end of training by the rule: a pass without a mistake (`separated`), or none within the budget. */
export interface PerceptronOutcome {
  separated: boolean;
  /** Passes made. */
  epochs: number;
  updates: number;
  /** Mistakes of each pass. */
  mistakes: number[];
}

/**
 * Trains to the first pass without a mistake or to the end of `epochs` passes, each pass in
 * the order `orderOf(epoch)` gives. For tests and the command line; the browser's run drives
 * `perceptronEpoch` itself so that it can pause, stop and show each update.
 */
export function trainPerceptron(
  p: PerceptronWeights,
  data: { x: ArrayLike<number>; y: ArrayLike<number> },
  opts: { eta: number; epochs: number; orderOf(epoch: number): ArrayLike<number>; onUpdate?(u: PerceptronUpdate): void },
): PerceptronOutcome {
  const mistakes: number[] = [];
  let updates = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const it = perceptronEpoch(p, { x: data.x, y: data.y, order: opts.orderOf(epoch), eta: opts.eta, epoch, updatesBefore: updates });
    let r = it.next();
    while (!r.done) {
      opts.onUpdate?.(r.value);
      r = it.next();
    }
    mistakes.push(r.value);
    updates += r.value;
    if (r.value === 0) return { separated: true, epochs: epoch, updates, mistakes };
  }
  return { separated: false, epochs: opts.epochs, updates, mistakes };
}

const fmt = (v: number) => Number(v.toPrecision(3)).toString();

/** `(0.31, −0.12)`: a vector as the panel writes it. */
export function formatVector(v: readonly number[]): string {
  return `(${v.map((x) => fmt(x).replace('-', '−')).join(', ')})`;
}

/** The end-of-run sentence for a pass without a mistake. */
export function separatedMessage(epoch: number, updates: number, n: number, handSet = false): string {
  if (updates === 0 && handSet) return `The perceptron separates the ${n} training points: the weights you set already do (pass 1 made no mistake, so the rule changed nothing). Set others in the neuron view, or Start again for the seed's.`;
  if (updates === 0) return `The perceptron separates the ${n} training points: its starting weights already do (pass 1 made no mistake, so the rule changed nothing). Change the seed to start from other weights.`;
  return `The perceptron separates the ${n} training points: pass ${epoch} made no mistake, after ${updates} update${updates === 1 ? '' : 's'} of w and b in all.`;
}

/** The end-of-run sentence when no pass was free of mistakes. */
export function notSeparatedMessage(epochs: number, fewest: number, n: number, updates: number): string {
  return `No straight line the perceptron found separates these points: in ${epochs} pass${epochs === 1 ? '' : 'es'} it never got through the ${n} training points without a mistake (fewest in a pass: ${fewest}; ${updates} updates). A single perceptron draws one straight line, and when no line separates the classes, as for exclusive or, it cannot learn them: that is why networks have hidden layers. Add a hidden Dense layer (e.g. 4 units, tanh) before a 1-unit sigmoid output.`;
}
