/**
 * Pass 4, shapes: walks the nodes in topological order and asks each layer's spec for its
 * output shape. A node whose inputs are unknown (an error upstream) gets no shape and no
 * further message, so that one mistake is reported once, where it is.
 */
import { diag } from '../diagnostics';
import type { ShapeContext } from '../layer-spec';
import type { Diagnostic, Shape } from '../types';
import { HUGE_TENSOR_VALUES, shapeProblem } from './exact';
import type { Ordered } from './order';
import { nodeTitle } from './validate';

export interface ShapeInfo {
  inputShapes: (Shape | null)[];
  output: Shape | null;
}

const isHuge = (s: Shape) => s.reduce((a, b) => a * b, 1) > HUGE_TENSOR_VALUES;
const fmtBytes = (s: Shape) => `${(s.reduce((a, b) => a * b, 4) / 2 ** 30).toLocaleString('en-US', { maximumFractionDigits: 1 })} GiB`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function inferShapes(g: Ordered): { shapes: Map<string, ShapeInfo>; diagnostics: Map<string, Diagnostic[]> } {
  const shapes = new Map<string, ShapeInfo>();
  const diagnostics = new Map<string, Diagnostic[]>();
  const add = (id: string, d: Diagnostic) => {
    const list = diagnostics.get(id);
    if (list) list.push(d);
    else diagnostics.set(id, [d]);
  };

  // One context for all nodes, pointed at the node being inferred: no closures per node.
  const current = { id: '', title: '', inputs: [] as string[] };
  const ctx: ShapeContext = {
    inputName: (i) => g.byId.get(current.inputs[i])!.name,
    error: (code, message, param) => add(current.id, diag(code, `${current.title}: ${message}`, current.id, param)),
    warn: (code, message, param) => add(current.id, diag(code, `${current.title}: ${message}`, current.id, param)),
  };
  for (const id of g.order) {
    const v = g.byId.get(id)!;
    const ins = g.incoming.get(id)!;
    const inputShapes = ins.map((s) => shapes.get(s)?.output ?? null);
    const info: ShapeInfo = { inputShapes, output: null };
    shapes.set(id, info);
    const spec = v.spec;
    if (!spec || g.cyclic.has(id)) continue;
    const title = nodeTitle(spec.type, v.name);

    if (ins.length < spec.arity.min || ins.length > spec.arity.max) {
      const want = spec.arity.max === Infinity ? `at least ${spec.arity.min} inputs` : spec.arity.min === spec.arity.max ? plural(spec.arity.min, 'input') : `${spec.arity.min} to ${spec.arity.max} inputs`;
      const fix = ins.length === 0
        ? 'Connect an edge into it from an Input or another layer.'
        : ins.length > spec.arity.max
          ? `To combine ${ins.length} tensors, feed them into an Add or a Concatenate first.`
          : 'Connect another edge into it.';
      add(id, diag('arity', `${title} takes ${want} but has ${ins.length}. ${fix}`, id));
      continue;
    }
    if (spec.arity.min > 0 && !g.fed.has(id)) {
      add(id, diag('not-fed', `${title} is not fed from any Input: follow its inputs back and connect the first layer to an Input.`, id));
      continue;
    }
    if (!v.params || inputShapes.some((s) => s === null)) continue;

    current.id = id;
    current.title = title;
    current.inputs = ins;
    const output = spec.inferShape(v.params, inputShapes as Shape[], ctx);
    const inexact = output && shapeProblem(output);
    if (inexact) {
      add(id, diag('number-too-large', `${title}: ${inexact}. Use smaller sizes.`, id, spec.type === 'Input' ? 'shape' : undefined));
      continue;
    }
    info.output = output;
    if (output && isHuge(output) && !(inputShapes as Shape[]).some(isHuge)) {
      add(id, diag('huge-tensor', `${title}: its output holds ${output.reduce((a, b) => a * b, 1).toLocaleString('en-US')} values per example (${fmtBytes(output)} of float32); no browser can train a model this large. Check the sizes.`, id, spec.type === 'Input' ? 'shape' : undefined));
    }
  }
  return { shapes, diagnostics };
}
