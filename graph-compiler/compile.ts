/**
 * The compiler: parse → validate params → order → shapes → counts. Every pass collects
 * diagnostics and goes on, so one bad node never hides the shapes of the others.
 */
import { diag, type DiagnosticCode } from './diagnostics';
import { approx, equals, exactSum, isExact, SAFE_LIMIT_TEXT } from './passes/exact';
import { MAX_DIAGNOSTICS } from './passes/limits';
import { size, type AnyLayerSpec, type LayerIO } from './layer-spec';
import { checkTraining } from './training';
import { orderGraph, type Ordered } from './passes/order';
import { parseDocument } from './passes/parse';
import { inferShapes } from './passes/shapes';
import { nodeTitle, validateNode, type ValidatedNode } from './passes/validate';
import { thousands } from './format';
import type { CompileResult, Diagnostic, GraphDocument, NodeResult, ParamCount, Shape, Totals } from './types';

/** Thrown-free outcome of compiling something that may not be a graph document at all. */
export type CompileOutcome =
  | { ok: false; fatal: string; code: DiagnosticCode }
  | { ok: true; result: CompileResult; doc: GraphDocument };

const NO_PARAMS: ParamCount = Object.freeze({ trainable: 0, nonTrainable: 0 });

/** ` · L2 0.01`: the weight penalties of a layer that has them, for its node's face. */
function penaltySuffix(params: Record<string, unknown>): string {
  const parts = (['l1', 'l2'] as const)
    .filter((k) => typeof params[k] === 'number' && (params[k] as number) > 0)
    .map((k) => `${k.toUpperCase()} ${params[k]}`);
  return parts.map((p) => ` · ${p}`).join('');
}

/**
 * A node's result. The texts only the node face and the inspector show (summary and the
 * arithmetic) are computed on first read: a compile of a large graph does not pay for them.
 */
class LazyNodeResult implements NodeResult {
  #summary?: string;
  #shapeFormula?: string[];
  #paramFormula?: string | null;

  constructor(
    readonly id: string,
    readonly type: string,
    readonly name: string,
    readonly params: Record<string, unknown> | null,
    readonly inputShapes: (Shape | null)[],
    readonly inputIds: string[],
    readonly outputShape: Shape | null,
    readonly paramCount: ParamCount | null,
    readonly macs: number | null,
    readonly diagnostics: Diagnostic[],
    private readonly spec: AnyLayerSpec | undefined,
    private readonly io: LayerIO | null,
  ) {}

  get summary(): string {
    return (this.#summary ??= this.spec && this.params ? this.spec.summary(this.params) + penaltySuffix(this.params) : '');
  }

  get shapeFormula(): string[] {
    return (this.#shapeFormula ??= this.io && this.spec?.shapeFormula ? this.spec.shapeFormula(this.params!, this.io) : []);
  }

  get paramFormula(): string | null {
    if (this.#paramFormula === undefined) {
      this.#paramFormula = this.io && this.spec?.paramFormula ? this.spec.paramFormula(this.params!, this.io) : null;
    }
    return this.#paramFormula;
  }

  /** Plain data for JSON, getters included. */
  toJSON() {
    const { id, type, name, params, inputShapes, inputIds, outputShape, paramCount, macs, summary, shapeFormula, paramFormula, diagnostics } = this;
    return { id, type, name, params, inputShapes, inputIds, outputShape, paramCount, macs, summary, shapeFormula, paramFormula, diagnostics };
  }
}

const EMPTY_TOTALS: Totals = {
  totalParams: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, weightBytes: 0, activationBytes: 0, inputBytes: 0,
};

/**
 * Compiles a decoded JSON value. Returns `fatal` only when the value is not a version-1 graph
 * document at all (wrong format or version, nodes/edges not arrays).
 *
 * @example
 * const out = compileUnknown(JSON.parse(text));
 * if (out.ok) console.log(out.result.totals.totalParams);
 */
export function compileUnknown(input: unknown): CompileOutcome {
  const parsed = parseDocument(input);
  if (!parsed.ok) return { ok: false, fatal: parsed.message, code: parsed.code };
  const training = checkTraining(parsed.doc.training);
  return { ok: true, doc: parsed.doc, result: compileParsed(parsed.nodes, parsed.edges, [...parsed.diagnostics, ...training.diagnostics]) };
}

/** Compiles a graph document (the editor's hot path). */
export function compile(doc: GraphDocument): CompileResult {
  const out = compileUnknown(doc);
  if (!out.ok) {
    return { ok: false, order: [], nodes: {}, inputs: [], outputs: [], edges: [], totals: EMPTY_TOTALS, diagnostics: [diag(out.code, out.fatal)] };
  }
  return out.result;
}

/**
 * True for the perceptron itself: a step output with no weights before it but its own Dense
 * (Input → Dense(step), or Input → Dense → Activation(step)). Training gives it the perceptron
 * learning rule, so its zero gradient is no problem and earns no warning.
 */
function isLonePerceptron(v: ValidatedNode, outgoing: string[], g: Ordered): boolean {
  if (outgoing.length > 0) return false;
  const seen = new Set<string>();
  const stack = [...(g.incoming.get(v.node.id) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(g.incoming.get(id) ?? []));
  }
  const weighted = [...seen].map((id) => g.byId.get(id)).filter((n) => n?.node.type !== 'Input');
  const oneUnit = (n: ValidatedNode | undefined) => n?.node.type === 'Dense' && n.params?.units === 1;
  return v.node.type === 'Activation' ? weighted.length === 1 && oneUnit(weighted[0]) : oneUnit(v) && weighted.length === 0;
}

/** The warning a node's activation earns where it stands: softmax not at an output, or step. */
function activationWarning(v: ValidatedNode, outgoing: string[], g: Ordered): Diagnostic | undefined {
  const act = v.spec && v.params ? v.spec.activationOf?.(v.params) : undefined;
  if (act === 'softmax' && outgoing.length > 0) {
    return diag('softmax-not-output',
      `${nodeTitle(v.node.type, v.name)}: softmax turns scores into class probabilities and belongs on the output layer, but this layer feeds "${g.byId.get(outgoing[0])!.name}". Use relu here, or make this the last layer.`, v.node.id, 'activation');
  }
  if (act === 'step' && !isLonePerceptron(v, outgoing, g)) {
    return diag('step-activation',
      `${nodeTitle(v.node.type, v.name)}: the step activation has a gradient of zero everywhere, so backpropagation cannot train the layers before it. Fine for a perceptron demo; use sigmoid or relu to learn with gradient descent.`, v.node.id, 'activation');
  }
  return undefined;
}

function hasInput(nodes: Iterable<{ node: { type: string } }>): boolean {
  for (const v of nodes) if (v.node.type === 'Input') return true;
  return false;
}

function compileParsed(rawNodes: GraphDocument['nodes'], rawEdges: GraphDocument['edges'], docDiagnostics: Diagnostic[]): CompileResult {
  const validated = rawNodes.map(validateNode);
  const g = orderGraph(validated, rawEdges);
  const { shapes, diagnostics: shapeDiags } = inferShapes(g);

  const graphDiags: Diagnostic[] = [...docDiagnostics, ...g.diagnostics];
  if (rawNodes.length === 0) graphDiags.push(diag('empty-graph', 'The graph is empty: add an Input layer to start.'));
  else if (!hasInput(g.byId.values())) {
    graphDiags.push(diag('no-input', 'The graph has no Input layer: add one to say what shape of data enters the network.'));
  }

  // No prototype: a node may be called "__proto__" or "constructor".
  const nodes: Record<string, NodeResult> = Object.create(null);
  const totals: Totals = { ...EMPTY_TOTALS };
  const inputs: string[] = [];
  const outputs: string[] = [];
  for (const [id, v] of g.byId) {
    const info = shapes.get(id)!;
    const spec = v.spec;
    const p = v.params;
    const out = info.output;
    const known = !!(spec && p && out && info.inputShapes.every((s) => s !== null));
    const io = known ? { inputs: info.inputShapes as number[][], output: out! } : null;
    const outgoing = g.outgoing.get(id)!;
    const later = shapeDiags.get(id);
    const warning = activationWarning(v, outgoing, g);
    // Shared with the validation cache when this compile adds nothing: never mutated after.
    const diagnostics = later || warning ? [...v.diagnostics, ...(later ?? []), ...(warning ? [warning] : [])] : v.diagnostics;

    let count = io && spec ? (spec.countParams?.(p!, io) ?? NO_PARAMS) : null;
    let macs = io && spec ? (spec.macs?.(p!, io) ?? 0) : null;
    let ownDiagnostics = diagnostics;
    // Exact figures only: a count past 2^53 − 1 is an error here, and adds nothing to the totals.
    const tooLarge = (what: string) => {
      if (ownDiagnostics === v.diagnostics) ownDiagnostics = [...ownDiagnostics];
      ownDiagnostics.push(diag('number-too-large', `${nodeTitle(v.node.type, v.name)}: ${what}. Use smaller sizes.`, id));
    };
    if (count && !(isExact(count.trainable) && isExact(count.nonTrainable) && isExact(count.trainable + count.nonTrainable))) {
      const formula = spec?.paramFormula && io ? spec.paramFormula(p!, io) : null;
      tooLarge(`its parameter count ${formula ? `${formula} ` : ''}comes to ${approx(count.trainable + count.nonTrainable)}, more than ${SAFE_LIMIT_TEXT}`);
      count = null;
    }
    if (macs !== null && !isExact(macs)) {
      tooLarge(`its multiply-adds per example come to ${approx(macs)}, more than ${SAFE_LIMIT_TEXT}`);
      macs = null;
    }
    const add = (key: keyof Totals, n: number, what: string) => {
      const sum = exactSum(totals[key], n);
      if (sum === null) tooLarge(`with it, the model's ${what} would come to ${thousands(totals[key])} + ${thousands(n)} ${equals(totals[key] + n)}, more than ${SAFE_LIMIT_TEXT}`);
      else totals[key] = sum;
    };
    if (count) {
      const params = count.trainable + count.nonTrainable;
      const total = totals.totalParams + params;
      // Weight bytes (4 per parameter) are the largest figure that follows from the counts.
      if (!isExact(total)) {
        tooLarge(`with it, the model's parameter count would come to ${thousands(totals.totalParams)} + ${thousands(params)} ${equals(total)}, more than ${SAFE_LIMIT_TEXT}`);
      } else if (!isExact(4 * total)) {
        tooLarge(`with it, the model's float32 weights would take 4 · ${thousands(total)} ${equals(4 * total)} bytes, more than ${SAFE_LIMIT_TEXT}`);
      } else {
        totals.totalParams = total;
        totals.trainableParams += count.trainable;
        totals.nonTrainableParams += count.nonTrainable;
      }
    }
    if (macs) add('macs', macs, 'multiply-adds per example');
    const bytes = out ? 4 * size(out) : 0;
    if (out && !isExact(bytes)) tooLarge(`its output takes 4 · ${thousands(size(out))} ${equals(bytes)} bytes of float32, more than ${SAFE_LIMIT_TEXT}`);
    else if (v.node.type === 'Input') {
      if (out) add('inputBytes', bytes, 'input size in bytes');
    } else if (out) add('activationBytes', bytes, 'activation size in bytes');
    if (v.node.type === 'Input') inputs.push(id);
    if (outgoing.length === 0) outputs.push(id);
    nodes[id] = new LazyNodeResult(id, v.node.type, v.name, p, info.inputShapes, g.incoming.get(id)!, out, count, macs, ownDiagnostics, spec, io);
  }
  totals.weightBytes = 4 * totals.totalParams;

  const all = [...graphDiags, ...g.order.flatMap((id) => nodes[id].diagnostics)];
  const diagnostics = all.length <= MAX_DIAGNOSTICS ? all : [
    ...all.slice(0, MAX_DIAGNOSTICS),
    diag('too-many-problems', `${thousands(all.length - MAX_DIAGNOSTICS)} more problems are not listed (${thousands(all.filter((d) => d.severity === 'error').length)} errors in all); fix the ones above first.`),
  ];
  return {
    ok: !all.some((d) => d.severity === 'error'),
    order: g.order,
    nodes,
    inputs,
    outputs,
    edges: g.edges,
    totals,
    diagnostics,
  };
}
