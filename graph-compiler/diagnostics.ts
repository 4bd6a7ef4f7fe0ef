/**
 * Every diagnostic the compiler can give, in one table: its stable code, its severity and what
 * it means. Messages are written where the problem is found; codes never change meaning.
 */
import type { Diagnostic, Severity } from './types';

export const DIAGNOSTIC_CODES = {
  'empty-graph': { severity: 'error', meaning: 'The graph has no nodes.' },
  'no-input': { severity: 'error', meaning: 'The graph has no Input node.' },
  'node-malformed': { severity: 'error', meaning: 'A node entry is not an object with a string id and type.' },
  'edge-malformed': { severity: 'error', meaning: 'An edge entry is not an object with string source and target.' },
  'duplicate-id': { severity: 'error', meaning: 'Two nodes share an id; the later one is ignored.' },
  'unknown-type': { severity: 'error', meaning: 'The node type is not a known layer.' },
  'param-missing': { severity: 'error', meaning: 'A required param is missing.' },
  'param-invalid': { severity: 'error', meaning: 'A param has a value the layer cannot take.' },
  'edge-missing-node': { severity: 'error', meaning: 'An edge names a node that does not exist.' },
  'self-loop': { severity: 'error', meaning: 'An edge goes from a node to itself.' },
  cycle: { severity: 'error', meaning: 'Edges form a cycle; data could never flow through it.' },
  'input-has-inputs': { severity: 'error', meaning: 'An Input node has incoming edges.' },
  arity: { severity: 'error', meaning: 'A layer has the wrong number of inputs.' },
  'not-fed': { severity: 'error', meaning: 'A layer is not fed, directly or through others, from any Input.' },
  'input-rank': { severity: 'error', meaning: 'A layer gets a tensor with the wrong number of axes.' },
  'output-size': { severity: 'error', meaning: 'A convolution or pooling window is larger than its input: output size ≤ 0.' },
  'stride-and-dilation': { severity: 'error', meaning: 'strides and dilationRate are both above 1.' },
  'kernel-preset': { severity: 'error', meaning: 'A Conv2D kernel preset needs one filter with a 3×3 kernel.' },
  'merge-shape': { severity: 'error', meaning: 'Inputs of a merge layer (Add, Concatenate, Multiply, ...) have shapes that cannot be merged.' },
  'bad-axis': { severity: 'error', meaning: 'Concatenate names an axis its inputs do not have.' },
  'reshape-size': { severity: 'error', meaning: 'Reshape asks for a different number of values than its input has.' },
  'training-invalid': { severity: 'error', meaning: 'A field of the training block has a value it cannot take.' },
  'not-a-document': { severity: 'error', meaning: 'The value is not a version-1 graph document at all (wrong format or version, nodes or edges not arrays).' },
  'number-not-finite': { severity: 'error', meaning: 'The document holds NaN or Infinity (1e999 reads as Infinity), which JSON cannot store; it is refused as a whole.' },
  'nesting-too-deep': { severity: 'error', meaning: 'Arrays or objects in the document are nested deeper than any graph needs; it is refused as a whole.' },
  'document-too-large': { severity: 'error', meaning: 'The document has more nodes or edges than Layerboard reads; it is refused as a whole.' },
  'too-many-inputs': { severity: 'error', meaning: 'A node has more incoming edges than Layerboard takes; the rest are left out.' },
  'number-too-large': { severity: 'error', meaning: 'A shape, parameter count, MACs or byte figure passes 2^53 − 1, past which numbers are no longer exact.' },
  'too-many-problems': { severity: 'warning', meaning: 'More diagnostics than are listed; the rest are counted, not listed.' },
  'huge-tensor': { severity: 'warning', meaning: 'A tensor holds more values per example than any browser can train on (over 2^28, 1 GiB of float32).' },
  'stride-remainder': { severity: 'warning', meaning: 'The stride does not divide evenly: the output size is rounded down and edge pixels are never read.' },
  'dense-on-image': { severity: 'warning', meaning: 'Dense on a tensor with three or more axes acts on the last axis only.' },
  'softmax-not-output': { severity: 'warning', meaning: 'softmax is used on a layer that is not a model output.' },
  'step-activation': { severity: 'warning', meaning: 'The step activation has zero gradient: layers before it cannot learn.' },
  'unknown-param': { severity: 'warning', meaning: 'A param the layer does not take; it is kept but ignored.' },
  'unknown-key': { severity: 'warning', meaning: 'A key the format does not define; it is kept but ignored.' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Longest message kept whole; longer ones (huge names quoted in them) are cut. */
export const MAX_MESSAGE_CHARS = 2000;

/** Builds a diagnostic with the severity its code has in the table. */
export function diag(code: DiagnosticCode, message: string, nodeId?: string, param?: string): Diagnostic {
  const text = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
  const d: Diagnostic = { severity: DIAGNOSTIC_CODES[code].severity, code, message: text };
  if (nodeId !== undefined) d.nodeId = nodeId;
  if (param !== undefined) d.param = param;
  return d;
}

/** Longest word that gets a "did you mean" hint. */
const MAX_HINT_CHARS = 64;

/** The closest of `options` to `word` when it is a plausible typo, for "did you mean" hints. */
export function closest(word: string, options: readonly string[]): string | undefined {
  // A typo is a few characters off: a long word is no typo of a short option, and the edit
  // distance would cost its length times theirs on every compile.
  if (word.length > MAX_HINT_CHARS) return undefined;
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1;
  const w = word.toLowerCase();
  for (const o of options) {
    const d = editDistance(w, o.toLowerCase());
    if (d < bestDist) {
      best = o;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
