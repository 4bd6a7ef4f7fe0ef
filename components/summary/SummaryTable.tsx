'use client';
/**
 * The model summary, as Keras prints it (layer, type, output shape, params, connected to) plus
 * MACs, and torchinfo-style totals. Rows are memoised: an edit re-renders the rows it changed.
 */
import { memo } from 'react';
import { formatBytes, formatCount, visibleText, type CompileResult, type NodeResult } from '@/graph-compiler';
import { CATEGORY_COLORS } from '@/lib/categories';
import { groupThousands } from '@/lib/format';
import { useEditorStore } from '@/lib/store';
import { layerByType } from '@/graph-compiler';

interface RowProps {
  id: string;
  name: string;
  type: string;
  shape: string;
  params: string;
  macs: string;
  connected: string;
  severity: 'error' | 'warning' | null;
  selected: boolean;
}

function rowProps(r: NodeResult, result: CompileResult, selected: boolean): RowProps {
  const count = r.paramCount;
  const errors = r.diagnostics.some((d) => d.severity === 'error');
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    shape: r.outputShape ? `(None, ${r.outputShape.join(', ')})` : '?',
    params: count ? groupThousands(count.trainable + count.nonTrainable) : '?',
    macs: r.macs === null ? '?' : r.macs === 0 ? '0' : formatCount(r.macs),
    connected: r.inputIds.map((id) => result.nodes[id]?.name ?? id).join(', '),
    severity: errors ? 'error' : r.diagnostics.length ? 'warning' : null,
    selected,
  };
}

const Row = memo(function Row(p: RowProps) {
  const color = CATEGORY_COLORS[layerByType(p.type)?.category ?? 'unknown'];
  return (
    <tr
      className={`${p.selected ? 'is-selected' : ''}${p.severity ? ` has-${p.severity}` : ''}`}
      onClick={() => useEditorStore.getState().focusNode(p.id)}
      data-node-id={p.id}
    >
      <td className="lb-summary__name">
        {p.severity && <span className={`lb-sev lb-sev--${p.severity}`} aria-label={p.severity} />}
        <bdi>{visibleText(p.name)}</bdi>
      </td>
      <td>
        <span className="lb-dot" style={{ background: color }} />
        <bdi>{visibleText(p.type)}</bdi>
      </td>
      <td className="lb-mono">{p.shape}</td>
      <td className="lb-num lb-mono">{p.params}</td>
      <td className="lb-num lb-mono">{p.macs}</td>
      <td className="lb-summary__conn">
        <bdi>{visibleText(p.connected)}</bdi>
      </td>
    </tr>
  );
});

export function SummaryTable() {
  const result = useEditorStore((s) => s.result);
  const selected = useEditorStore((s) => s.selectedNodes);
  const t = result.totals;
  const ids = result.order.filter((id) => result.nodes[id]);
  return (
    <div className="lb-summary" data-testid="summary">
      <div className="lb-summary__scroll" tabIndex={0} role="region" aria-label="Summary: every layer with its output shape, parameters and inputs">
        <table className="lb-table">
          <thead>
            <tr>
              <th>Layer</th>
              <th>Type</th>
              <th>Output shape</th>
              <th className="lb-num">Params</th>
              <th className="lb-num">MACs</th>
              <th>Connected to</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => (
              <Row key={id} {...rowProps(result.nodes[id], result, selected.has(id))} />
            ))}
            {ids.length === 0 && (
              <tr className="lb-table__empty">
                <td colSpan={6}>No layers yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <dl className="lb-totals" data-testid="totals">
        <div>
          <dt>Total params</dt>
          <dd>{groupThousands(t.totalParams)}</dd>
        </div>
        <div>
          <dt>Trainable</dt>
          <dd>{groupThousands(t.trainableParams)}</dd>
        </div>
        <div>
          <dt>Non-trainable</dt>
          <dd>{groupThousands(t.nonTrainableParams)}</dd>
        </div>
        <div>
          <dt>MACs</dt>
          <dd title={groupThousands(t.macs)}>{formatCount(t.macs)}</dd>
        </div>
        <div>
          <dt>Weights</dt>
          <dd>{formatBytes(t.weightBytes)}</dd>
        </div>
        <div>
          <dt>Activations</dt>
          <dd title="float32 outputs of every layer for one example">{formatBytes(t.activationBytes)}</dd>
        </div>
        <div>
          <dt>Input</dt>
          <dd>{formatBytes(t.inputBytes)}</dd>
        </div>
      </dl>
    </div>
  );
}
