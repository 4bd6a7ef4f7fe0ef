/**
 * Export to ONNX: the one walk over a compiled graph that writes an ONNX ModelProto (opset 13),
 * each node written by its layer module's `onnx.write`, with the weights of a built tfjs model
 * (`nodeWeights`: trained ones, or the seeded initial ones) transposed to ONNX layouts.
 *
 * Images are NCHW throughout, as in PyTorch: a graph input of document shape `[28, 28, 1]` is
 * `[N, 1, 28, 28]`, and an image output is NCHW too (see `interop/onnx-form.ts`). The batch axis
 * is the symbolic `N`. One graph output per model output. Node ids and the document's name are
 * data: they become ONNX names only after sanitising, never anything that runs.
 */
import { onnx } from 'onnx-proto';
import type { OnnxAttr, OnnxWriter } from '../interop/onnx-form';
import { layerByType } from '../layers';
import type { CompileResult, Shape } from '../types';
import type { NodeWeights } from './weights';

/** The opset the export targets. */
export const ONNX_OPSET = 13;
/** ONNX IR version 7 goes with opset 13. */
const IR_VERSION = 7;

/** What an export gives: the `.onnx` bytes, or one message per node ONNX gets no form of. */
export type OnnxExport =
  /** `tensors`: node id → the ONNX value holding its output. */
  | { ok: true; bytes: Uint8Array; tensors: Record<string, string>; inputs: string[]; outputs: string[] }
  | { ok: false; messages: string[] };

/** ONNX value and node names: letters, digits and `_ . / : -`; anything else becomes `_`. */
export function onnxName(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_./:-]/g, '_').slice(0, 200);
  return clean || '_';
}

function attribute(name: string, v: OnnxAttr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in v) return { name, type: T.INT, i: v.i };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  if ('s' in v) return { name, type: T.STRING, s: new TextEncoder().encode(v.s) };
  if ('ints' in v) return { name, type: T.INTS, ints: v.ints };
  return { name, type: T.FLOATS, floats: v.floats };
}

/** The ONNX shape of a document shape: images NCHW, batch axis `N` in front. */
export function onnxShape(shape: Shape): Shape {
  return shape.length === 3 ? [shape[2], shape[0], shape[1]] : [...shape];
}

function valueInfo(name: string, shape: Shape): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...onnxShape(shape).map((d) => ({ dimValue: d }))] },
      },
    },
  };
}

class Writer implements OnnxWriter {
  nodes: onnx.INodeProto[] = [];
  initializers: onnx.ITensorProto[] = [];
  private used = new Set<string>();
  prefix = '';
  inputs: onnx.IValueInfoProto[] = [];

  graphInput(shape: Shape): string {
    const name = this.unique(this.prefix);
    this.inputs.push(valueInfo(name, shape));
    return name;
  }

  unique(base: string): string {
    let n = onnxName(base);
    for (let i = 2; this.used.has(n); i++) n = `${onnxName(base)}_${i}`;
    this.used.add(n);
    return n;
  }

  node(op: string, inputs: string[], attrs: Record<string, OnnxAttr> = {}): string {
    const name = this.unique(`${this.prefix}/${op}`);
    const output = this.unique(`${name}:0`);
    this.nodes.push({ name, opType: op, input: inputs, output: [output], attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return output;
  }

  weight(name: string, dims: number[], values: Float32Array): string {
    const n = this.unique(`${this.prefix}.${name}`);
    const raw = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    this.initializers.push({ name: n, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
    return n;
  }

  constant(name: string, dims: number[], values: number[], type: 'int64' | 'float'): string {
    const T = onnx.TensorProto.DataType;
    const value: onnx.ITensorProto = type === 'int64'
      ? { dims, dataType: T.INT64, int64Data: values }
      : { dims, dataType: T.FLOAT, floatData: values };
    const out = this.node('Constant', []);
    const node = this.nodes[this.nodes.length - 1];
    node.attribute = [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { ...value, name } }];
    return out;
  }

  activation(act: string, x: string, rank: number, alpha = 0.01): string {
    switch (act) {
      case 'linear': return x;
      case 'relu': return this.node('Relu', [x]);
      case 'relu6': return this.node('Clip', [x, this.constant('min', [], [0], 'float'), this.constant('max', [], [6], 'float')]);
      case 'sigmoid': return this.node('Sigmoid', [x]);
      case 'tanh': return this.node('Tanh', [x]);
      // The document's softmax is over the last axis: the channels, which NCHW keeps at 1.
      case 'softmax': return this.node('Softmax', [x], { axis: { i: rank === 3 ? 1 : -1 } });
      case 'elu': return this.node('Elu', [x], { alpha: { f: 1 } });
      case 'selu': return this.node('Selu', [x]);
      case 'softplus': return this.node('Softplus', [x]);
      case 'softsign': return this.node('Softsign', [x]);
      case 'swish': return this.node('Mul', [x, this.node('Sigmoid', [x])]);
      case 'gelu': {
        // tfjs: x · 0.5 · (1 + erf(x / √2)).
        const erf = this.node('Erf', [this.node('Div', [x, this.constant('sqrt2', [], [Math.SQRT2], 'float')])]);
        const cdf = this.node('Mul', [this.node('Add', [erf, this.constant('one', [], [1], 'float')]), this.constant('half', [], [0.5], 'float')]);
        return this.node('Mul', [x, cdf]);
      }
      case 'leakyRelu': return this.node('LeakyRelu', [x], { alpha: { f: alpha } });
      // Heaviside: 1 where x > 0, else 0.
      case 'step': return this.node('Cast', [this.node('Greater', [x, this.constant('zero', [], [0], 'float')])], { to: { i: onnx.TensorProto.DataType.FLOAT } });
      default: throw new Error(`the activation "${act}" has no ONNX form`);
    }
  }

  toNhwc(x: string): string {
    return this.node('Transpose', [x], { perm: { ints: [0, 2, 3, 1] } });
  }

  toNchw(x: string): string {
    return this.node('Transpose', [x], { perm: { ints: [0, 3, 1, 2] } });
  }
}

/**
 * The ONNX model of a compiled graph with these weights (every node with weights must have its
 * entry). Returns one message per node that has no ONNX form; throws when the graph has errors.
 *
 * @example
 * const model = await toTfjsModel(tf, result);
 * const out = toOnnx(result, nodeWeights(model, result), doc.name);
 * if (out.ok) writeFileSync('model.onnx', out.bytes);
 */
export function toOnnx(result: CompileResult, weights: NodeWeights, name?: string): OnnxExport {
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    return { ok: false, messages: [`The graph has errors; first: ${first?.message}`] };
  }
  const w = new Writer();
  const valueOf = new Map<string, string>();
  const messages: string[] = [];
  for (const id of result.order) {
    const node = result.nodes[id];
    const spec = layerByType(node.type)!;
    w.prefix = onnxName(id);
    const title = `${node.type} "${node.name}"`;
    if (!spec.onnx) {
      messages.push(`${title}: ONNX export does not write ${node.type} layers.`);
      continue;
    }
    try {
      const out = spec.onnx.write(node.params!, {
        // After a node that could not be written, the rest are still written, to report every refusal at once.
        inputs: node.inputIds.map((s) => valueOf.get(s) ?? `${onnxName(s)}:unwritten`),
        inShapes: node.inputIds.map((s) => result.nodes[s].outputShape!),
        outShape: node.outputShape!,
      }, weights[id] ?? [], w);
      if (typeof out === 'string') valueOf.set(id, out);
      else messages.push(`${title}: ${out.reason}.`);
    } catch (e) {
      messages.push(`${title}: ${(e as Error).message}.`);
    }
  }
  if (messages.length) return { ok: false, messages };

  // An output that is an input, or that two outputs share, gets its own name through Identity.
  const outputs: onnx.IValueInfoProto[] = [];
  const taken = new Set(w.inputs.map((i) => i.name));
  for (const id of result.outputs) {
    let v = valueOf.get(id)!;
    if (taken.has(v)) {
      w.prefix = onnxName(id);
      v = w.node('Identity', [v]);
    }
    taken.add(v);
    outputs.push(valueInfo(v, result.nodes[id].outputShape!));
  }
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'layerboard',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: (name ?? 'layerboard').slice(0, 200),
      node: w.nodes,
      initializer: w.initializers,
      input: w.inputs,
      output: outputs,
    },
  };
  return {
    ok: true,
    bytes: onnx.ModelProto.encode(model).finish(),
    tensors: Object.fromEntries(valueOf),
    inputs: w.inputs.map((i) => i.name!),
    outputs: outputs.map((o) => o.name!),
  };
}
