/**
 * Core types of the graph compiler: the document (see docs/graph-format.md), diagnostics and the
 * compile result that the canvas, the summary panel and the command line read.
 */

/** A tensor shape without the batch dimension, e.g. `[28, 28, 1]`. */
export type Shape = number[];

export interface Position {
  x: number;
  y: number;
}

/** A node as it appears in a version-1 graph document. */
export interface GraphNode {
  id: string;
  type: string;
  params: Record<string, unknown>;
  position?: Position;
  label?: string;
  [extra: string]: unknown;
}

/** One tensor flowing from `source` to `target`. Edge order sets a merge layer's input order. */
export interface GraphEdge {
  source: string;
  target: string;
  [extra: string]: unknown;
}

/** A version-1 graph document, the project's public contract. */
export interface GraphDocument {
  format: 'layerboard.graph';
  version: 1;
  name?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  training?: Record<string, unknown>;
  [extra: string]: unknown;
}

export type Severity = 'error' | 'warning';

/** Something wrong (error) or suspicious (warning) in a graph, said for a student to read. */
export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `output-size`; see `diagnostics.ts` for the table. */
  code: string;
  /** The node that causes it, when there is one. */
  nodeId?: string;
  /** The param at fault, when there is one (the inspector shows the message beside it). */
  param?: string;
  message: string;
}

/** Parameter counts of one layer. */
export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

/** What the compiler found out about one node. */
export interface NodeResult {
  id: string;
  type: string;
  /** The display name: the node's label, else its id. */
  name: string;
  /** Validated params with defaults filled in; `null` when a param is invalid. */
  params: Record<string, unknown> | null;
  /** Shapes of the incoming tensors in edge order (`null` where unknown). */
  inputShapes: (Shape | null)[];
  /** Ids of the nodes feeding this one, in edge order. */
  inputIds: string[];
  outputShape: Shape | null;
  /** `null` when the count cannot be known (bad params or unknown input shape). */
  paramCount: ParamCount | null;
  macs: number | null;
  /** One line of key settings for the node's face, e.g. `32 × 3×3 /1 same · relu`. */
  summary: string;
  /** The output-size arithmetic with this node's numbers, one line per spatial axis. */
  shapeFormula: string[];
  /** The parameter arithmetic with this node's numbers, e.g. `5·5·1·6 + 6 = 156`. */
  paramFormula: string | null;
  diagnostics: Diagnostic[];
}

/** Whole-model figures, like torchinfo's footer. */
export interface Totals {
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  /** float32 weights, in bytes. */
  weightBytes: number;
  /** float32 outputs of every layer for one example, in bytes (inputs excluded). */
  activationBytes: number;
  /** float32 size of all model inputs for one example, in bytes. */
  inputBytes: number;
}

/** The compiler's answer for a whole graph. */
export interface CompileResult {
  /** True when there is no error (warnings allowed): the graph can become a model. */
  ok: boolean;
  /** Every node that was readable, in topological order where one exists. */
  order: string[];
  nodes: Record<string, NodeResult>;
  /** Input node ids in document order. */
  inputs: string[];
  /** Output node ids (nodes with no outgoing edge) in document order. */
  outputs: string[];
  /** Usable edges (both ends exist, no duplicates of a node id), in document order. */
  edges: GraphEdge[];
  totals: Totals;
  diagnostics: Diagnostic[];
}
