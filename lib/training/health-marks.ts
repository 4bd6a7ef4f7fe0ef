/**
 * The training-health sentences per graph node, for the marks on the canvas's node faces. A
 * store of its own, without the training session (which the page loads only with the training
 * panel), so that a node face reads its own sentence and re-renders only when that changes.
 */
import { create } from 'zustand';
import type { HealthWarning } from './health';

interface HealthMarks {
  /** Node id → the warnings about it, one sentence each, joined. */
  marks: Record<string, string>;
}

export const useHealthMarks = create<HealthMarks>()(() => ({ marks: {} }));

/** Shows these warnings on their nodes (an empty list or null clears every mark). */
export function showHealthMarks(warnings: readonly HealthWarning[] | null): void {
  const marks: Record<string, string> = {};
  for (const w of warnings ?? []) marks[w.nodeId] = marks[w.nodeId] ? `${marks[w.nodeId]} ${w.text}` : w.text;
  useHealthMarks.setState({ marks });
}
