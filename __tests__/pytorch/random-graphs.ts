/**
 * Random valid graphs over every layer type that has a PyTorch form, for the PyTorch judge:
 * an image, vector or sequence input grown step by step, each step a layer with random params
 * (strides, "same" padding, rectangular kernels, activations, merges with side branches); a step
 * the compiler rejects is dropped, so every graph compiles.
 */
import fc from 'fast-check';
import { compile, type GraphDocument, type Shape } from '@/graph-compiler';
import { ACTIVATIONS } from '@/graph-compiler/params';
import { DocBuilder } from '../../bench/graphs';

interface Step { op: number; a: number; b: number; c: number; d: number }
interface Plan { input: number; dims: number[]; steps: Step[] }

const nat = fc.nat({ max: 1000 });
const planArb: fc.Arbitrary<Plan> = fc.record({
  input: nat,
  dims: fc.array(nat, { minLength: 3, maxLength: 3 }),
  steps: fc.array(fc.record({ op: nat, a: nat, b: nat, c: nat, d: nat }), { minLength: 3, maxLength: 10 }),
});

const pick = <T>(xs: readonly T[], k: number): T => xs[k % xs.length];

/** One candidate node (with side branches) for tensor `x` of shape `shape`. */
function candidates(b: DocBuilder, x: string, shape: Shape, s: Step): string {
  const act = pick(ACTIVATIONS, s.d);
  const pair = (k: number) => (k % 3 === 0 ? [1 + (k % 2), 1 + ((k >> 2) % 3)] : 1 + (k % 3));
  if (shape.length === 3) {
    const c = shape[2];
    switch (s.op % 17) {
      case 0: return b.add('Conv2D', { filters: 1 + (s.a % 4), kernelSize: pair(s.b), strides: pick([1, 2, [2, 1]], s.c), padding: pick(['same', 'valid'], s.d), activation: act, ...(s.a % 5 === 0 ? { l2: 0.01 } : {}) }, [x]);
      case 1: return b.add('DepthwiseConv2D', { kernelSize: pair(s.b), strides: pick([1, 2], s.c), padding: pick(['same', 'valid'], s.a), depthMultiplier: 1 + (s.d % 2), activation: act }, [x]);
      case 2: return b.add('SeparableConv2D', { filters: 1 + (s.a % 3), kernelSize: pair(s.b), strides: pick([1, 2], s.c), padding: pick(['same', 'valid'], s.d) }, [x]);
      case 3: return b.add('MaxPooling2D', { poolSize: pair(s.a), ...(s.b % 2 ? { strides: pick([1, 2, [1, 2]], s.c) } : {}), padding: pick(['same', 'valid'], s.d) }, [x]);
      case 4: return b.add('AveragePooling2D', { poolSize: pair(s.a), ...(s.b % 2 ? { strides: pick([1, 2, 3], s.c) } : {}), padding: pick(['same', 'valid'], s.d) }, [x]);
      case 5: return b.add('Conv2DTranspose', { filters: 1 + (s.a % 3), kernelSize: pair(s.b), strides: pick([1, 2, 3, [2, 1]], s.c), padding: pick(['same', 'valid'], s.d), activation: act, useBias: s.a % 4 !== 0 }, [x]);
      case 6: return b.add('UpSampling2D', { size: pick([2, [1, 2], [3, 2]], s.a), interpolation: pick(['nearest', 'bilinear'], s.b) }, [x]);
      case 7: return b.add('ZeroPadding2D', { padding: pick([1, [1, 2], [[0, 1], [2, 0]]], s.a) }, [x]);
      case 8: return b.add('BatchNormalization', s.a % 2 ? {} : { momentum: 0.9, epsilon: 0.01 }, [x]);
      case 9: return b.add('LayerNormalization', { center: s.a % 3 !== 0, scale: s.b % 3 !== 1 }, [x]);
      case 10: return b.add('Dense', { units: 1 + (s.a % 4), activation: act }, [x]);
      case 11: {
        // Squeeze-and-excitation: a per-channel (or vector) gate multiplied back.
        const g = b.add('GlobalAveragePooling2D', {}, [x]);
        const d = b.add('Dense', { units: c, activation: 'sigmoid' }, [g]);
        const gate = s.a % 2 ? d : b.add('Reshape', { targetShape: [1, 1, c] }, [d]);
        return b.add('Multiply', {}, s.b % 2 ? [x, gate] : [gate, x]);
      }
      case 12: {
        const side = b.add('Conv2D', { filters: c, kernelSize: 3, padding: 'same' }, [x]);
        return b.add('Add', {}, [x, side]);
      }
      case 13: {
        const side = b.add('Conv2D', { filters: 1 + (s.a % 3), kernelSize: 1 }, [x]);
        return b.add('Concatenate', { axis: pick([-1, 3, 1, 2], s.b) }, [x, s.b % 4 >= 2 ? x : side]);
      }
      case 14: return b.add('Flatten', {}, [x]);
      case 15: return b.add(pick(['GlobalAveragePooling2D', 'GlobalMaxPooling2D'], s.a), {}, [x]);
      default: return b.add('Reshape', { targetShape: [shape[0], shape[1] * c] }, [x]);
    }
  }
  if (shape.length === 2) {
    switch (s.op % 8) {
      case 0: return b.add(pick(['LSTM', 'GRU'], s.a), { units: 1 + (s.b % 4), returnSequences: s.c % 2 === 0, recurrentActivation: pick(['sigmoid', 'hardSigmoid'], s.d), activation: pick(['tanh', 'relu', 'softsign'], s.a >> 1) }, [x]);
      case 1: return b.add('Conv1D', { filters: 1 + (s.a % 3), kernelSize: 1 + (s.b % 3), strides: 1 + (s.c % 2), padding: pick(['same', 'valid'], s.d), activation: act }, [x]);
      case 2: return b.add('BatchNormalization', {}, [x]);
      case 3: return b.add('LayerNormalization', {}, [x]);
      case 4: return b.add('Dense', { units: 1 + (s.a % 4), activation: act }, [x]);
      case 5: return b.add('Flatten', {}, [x]);
      case 6: return b.add('Reshape', { targetShape: [shape[0], 1, shape[1]] }, [x]);
      default: return b.add('Activation', { activation: act }, [x]);
    }
  }
  switch (s.op % 8) {
    case 0: return b.add('Dense', { units: 1 + (s.a % 6), activation: act, ...(s.b % 4 === 0 ? { l1: 0.01 } : {}) }, [x]);
    case 1: return b.add('Maxout', { units: 1 + (s.a % 3), pieces: 1 + (s.b % 3) }, [x]);
    case 2: return b.add('Dropout', { rate: 0.5 }, [x]);
    case 3: return b.add('BatchNormalization', {}, [x]);
    case 4: return b.add('Activation', s.a % 3 === 0 ? { activation: 'leakyRelu', alpha: 0.2 } : { activation: act }, [x]);
    case 5: return b.add('LayerNormalization', {}, [x]);
    case 6: {
      const side = b.add('Dense', { units: shape[0] }, [x]);
      return b.add(s.a % 2 ? 'Add' : 'Multiply', {}, [x, side]);
    }
    default: return shape[0] % 2 === 0 ? b.add('Reshape', { targetShape: [2, shape[0] / 2] }, [x]) : b.add('Dense', { units: 4 }, [x]);
  }
}

function build(plan: Plan): GraphDocument {
  const [p, q, r] = plan.dims;
  const shape = plan.input % 3 === 0 ? [3 + (p % 6), 3 + (q % 6), 1 + (r % 3)] : plan.input % 3 === 1 ? [1 + (p % 8)] : [2 + (p % 4), 1 + (q % 4)];
  let b = new DocBuilder('n');
  let x = b.add('Input', { shape }, [], 'in');
  let cur = shape;
  for (const s of plan.steps) {
    const trial = new DocBuilder('n');
    trial.nodes.push(...b.nodes.map((n) => ({ ...n })));
    trial.edges.push(...b.edges);
    Object.assign(trial, { next: (b as unknown as { next: number }).next });
    const y = candidates(trial, x, cur, s);
    const result = compile(trial.doc());
    if (!result.ok || !result.nodes[y]?.outputShape) continue;
    const out = result.nodes[y].outputShape!;
    if (out.reduce((a, c) => a * c, 1) > 4000) continue;
    b = trial;
    x = y;
    cur = out;
  }
  return b.doc();
}

/** `n` random valid graphs, the same ones for the same seed. */
export function randomGraphs(n: number, seed: number): GraphDocument[] {
  return fc.sample(planArb, { numRuns: n, seed }).map(build);
}
