'use client';
/**
 * The training panel bound to the editor's store: it trains the graph on the canvas and keeps
 * its settings in the document's `training` block (undoable, autosaved, carried by links).
 * It re-renders when the compiled graph or the training block changes, not when nodes move.
 */
import { useEffect, useMemo } from 'react';
import type { TrainingBlock } from '@/graph-compiler';
import { useEditorStore } from '@/lib/store';
import { backendFromQuery, useBackendChoice } from '@/lib/training/host';
import { TrainingPanel } from './TrainingPanel';

export function EditorTraining({ onShowNode }: { onShowNode(id: string): void }) {
  const result = useEditorStore((s) => s.result);
  const training = useEditorStore((s) => s.doc.training);
  const name = useEditorStore((s) => s.doc.name);
  // The document as of the last compile; positions do not matter to training.
  const doc = useMemo(() => useEditorStore.getState().doc, [result, training, name]); // eslint-disable-line react-hooks/exhaustive-deps
  // `?backend=cpu` in the address chooses the run bar's Backend.
  useEffect(() => {
    const asked = backendFromQuery(window.location.search);
    if (asked) useBackendChoice.getState().setChoice(asked);
  }, []);
  return (
    <TrainingPanel
      doc={doc}
      result={result}
      onSelectNode={onShowNode}
      onTrainingChange={(block: TrainingBlock) => useEditorStore.getState().setTraining(block)}
    />
  );
}
