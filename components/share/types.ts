import type { CompileResult, GraphDocument } from '@/graph-compiler';

/** Where an opened design came from. */
export type DesignSource = 'link' | 'graph' | 'png' | 'svg' | 'model.json' | 'onnx';

/** A design that passed every check and may replace the current graph. */
export interface OpenedDesign {
  doc: GraphDocument;
  result: CompileResult;
  source: DesignSource;
  /** What the import could not carry over (model.json, ONNX), one line each. */
  messages: string[];
  /** A line for the person, e.g. `Opened "LeNet-5" from the link.` */
  summary: string;
}

/** Shows a short message (the editor's toasts). */
export type Notify = (text: string, tone: 'info' | 'error') => void;

/** `Opened "X" from the link.` plus the graph's error count, if any. */
export function describeOpened(doc: GraphDocument, result: CompileResult, from: string): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const name = doc.name ? `"${doc.name}"` : 'the graph';
  return `Opened ${name} from ${from}${errors ? ` (it has ${errors} problem${errors === 1 ? '' : 's'} to fix)` : ''}.`;
}
