'use client';
/**
 * A page around the training panel: a template graph, its layers at a glance, and the panel.
 * The document lives in local state here; in the editor it lives in the editor's store.
 */
import { useMemo, useState } from 'react';
import { compile, fmtShape, thousands, type GraphDocument, type TrainingBlock } from '@/graph-compiler';
import { LAB_TEMPLATES, labTemplate } from '@/lib/training/templates';
import type { BackendName } from '@/lib/training/tf';
import { TrainingPanel } from './TrainingPanel';
import { useContextLossHook } from './useContextLossHook';

export function TrainingLab({ templateId, preferBackend }: { templateId?: string; preferBackend: BackendName }) {
  const [doc, setDoc] = useState<GraphDocument>(() => labTemplate(templateId).doc);
  const result = useMemo(() => compile(doc), [doc]);
  const current = LAB_TEMPLATES.find((t) => t.doc.name === doc.name)?.id ?? '';

  useContextLossHook();

  return (
    <div style={{ minHeight: '100vh', background: 'var(--color-bg)' }}>
      <header className="lb-train__head" style={{ gap: 16, borderBottom: '1px solid var(--color-border)', background: 'var(--color-surface)' }}>
        <span style={{ fontSize: 16, fontWeight: 650 }}>Layerboard</span>
        <span className="lb-train-muted">Training lab</span>
        <label className="lb-train-inline" style={{ marginLeft: 'auto', fontSize: 12.5 }}>
          Graph
          <select
            className="lb-train-input"
            style={{ width: 240 }}
            value={current}
            data-testid="lab-template"
            onChange={(e) => setDoc(labTemplate(e.target.value).doc)}
          >
            {LAB_TEMPLATES.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div style={{ padding: '12px 16px 0' }}>
        <div className="lb-train-card" style={{ padding: '10px 14px', display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '6px 10px' }} data-testid="lab-graph">
          <span className="lb-train-h">Graph</span>
          {result.order.map((id, i) => {
            const n = result.nodes[id];
            return (
              <span key={id} className="lb-train-inline" style={{ gap: 10 }}>
                {i > 0 && <span className="lb-train-aside">→</span>}
                <span title={n.summary} style={{ fontSize: 12.5 }}>
                  <b style={{ fontWeight: 600 }}>{n.type}</b>{' '}
                  <span className="lb-train-mono lb-train-muted">{n.outputShape ? fmtShape(n.outputShape) : '?'}</span>
                </span>
              </span>
            );
          })}
          <span className="lb-train-aside" style={{ marginLeft: 'auto' }}>
            {thousands(result.totals.totalParams)} params
          </span>
        </div>
      </div>
      <TrainingPanel
        doc={doc}
        result={result}
        preferBackend={preferBackend}
        onTrainingChange={(training: TrainingBlock) => setDoc((d) => ({ ...d, training: training as Record<string, unknown> }))}
      />
    </div>
  );
}
