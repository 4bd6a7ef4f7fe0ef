/**
 * The `summary` command's two outputs: a table like Keras model.summary (plus a MACs column and
 * torchinfo-style totals), and the JSON contract documented in the README.
 */
import {
  formatBytes, formatCount, thousands, type CompileResult, type Diagnostic, type GraphDocument,
} from '../graph-compiler';

/** The `--json` document: the public shape scripts rely on (extra fields allowed). */
export function summaryJson(doc: GraphDocument, r: CompileResult) {
  return {
    ok: r.ok,
    name: doc.name ?? null,
    totalParams: r.totals.totalParams,
    trainableParams: r.totals.trainableParams,
    nonTrainableParams: r.totals.nonTrainableParams,
    macs: r.totals.macs,
    weightBytes: r.totals.weightBytes,
    activationBytes: r.totals.activationBytes,
    inputBytes: r.totals.inputBytes,
    layers: r.order.map((id) => {
      const n = r.nodes[id];
      return {
        id,
        name: n.name,
        type: n.type,
        outputShape: n.outputShape,
        params: n.paramCount ? n.paramCount.trainable + n.paramCount.nonTrainable : null,
        trainableParams: n.paramCount?.trainable ?? null,
        nonTrainableParams: n.paramCount?.nonTrainable ?? null,
        macs: n.macs,
        connectedTo: n.inputIds,
      };
    }),
    inputs: r.inputs.map((id) => ({ id, shape: r.nodes[id].outputShape })),
    outputs: r.outputs.map((id) => ({ id, shape: r.nodes[id].outputShape })),
    diagnostics: r.diagnostics.map((d) => ({
      severity: d.severity, code: d.code, ...(d.nodeId !== undefined ? { nodeId: d.nodeId } : {}),
      ...(d.param !== undefined ? { param: d.param } : {}), message: d.message,
    })),
  };
}

function pad(s: string, w: number): string {
  return s.length >= w ? `${s} ` : s + ' '.repeat(w - s.length);
}

function kerasShape(s: number[] | null): string {
  return s ? `(None, ${s.join(', ')})` : '?';
}

function diagnosticLine(d: Diagnostic): string {
  return `${d.severity === 'error' ? 'error  ' : 'warning'} [${d.code}]${d.nodeId !== undefined ? ` ${d.nodeId}` : ''}: ${d.message}`;
}

/** The human-readable table. */
export function summaryText(doc: GraphDocument, r: CompileResult): string {
  const rows = r.order.map((id) => {
    const n = r.nodes[id];
    const params = n.paramCount ? thousands(n.paramCount.trainable + n.paramCount.nonTrainable) : '?';
    return [`${n.name} (${n.type})`, kerasShape(n.outputShape), params, n.macs === null ? '?' : thousands(n.macs), n.inputIds.join(', ')];
  });
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'MACs', 'Connected to'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)) + 2);
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('').trimEnd();
  const total = widths.reduce((a, b) => a + b, 0);
  const t = r.totals;
  const out = [
    `Model: "${doc.name ?? 'untitled'}"`,
    '_'.repeat(total),
    line(head),
    '='.repeat(total),
    ...rows.map(line),
    '='.repeat(total),
    `Total params: ${thousands(t.totalParams)} (${formatBytes(t.weightBytes)})`,
    `Trainable params: ${thousands(t.trainableParams)} (${formatBytes(4 * t.trainableParams)})`,
    `Non-trainable params: ${thousands(t.nonTrainableParams)} (${formatBytes(4 * t.nonTrainableParams)})`,
    `Multiply-adds (MACs) per example: ${thousands(t.macs)} (${formatCount(t.macs)})`,
    `Input size per example (float32): ${formatBytes(t.inputBytes)}`,
    `Activations per example (float32): ${formatBytes(t.activationBytes)}`,
    `Weights (float32): ${formatBytes(t.weightBytes)}`,
    '_'.repeat(total),
  ];
  if (r.diagnostics.length === 0) out.push('No problems found.');
  else {
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = r.diagnostics.length - errors;
    out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}:`);
    out.push(...r.diagnostics.map(diagnosticLine));
  }
  return out.join('\n');
}
