'use client';
/** Every problem the compiler found, errors first; clicking one selects and centres its node. */
import { memo } from 'react';
import { visibleText, type Diagnostic } from '@/graph-compiler';
import { useEditorStore } from '@/lib/store';

const Item = memo(function Item({ d }: { d: Diagnostic }) {
  const clickable = !!d.nodeId;
  return (
    <li
      className={`lb-diag lb-diag--${d.severity}${clickable ? ' is-clickable' : ''}`}
      data-code={d.code}
      data-node-id={d.nodeId}
      onClick={clickable ? () => useEditorStore.getState().focusNode(d.nodeId!) : undefined}
      role={clickable ? 'button' : undefined}
      tabIndex={clickable ? 0 : undefined}
      onKeyDown={clickable ? (e) => e.key === 'Enter' && useEditorStore.getState().focusNode(d.nodeId!) : undefined}
    >
      <span className={`lb-sev lb-sev--${d.severity}`} aria-label={d.severity} />
      <span className="lb-diag__msg">{visibleText(d.message)}</span>
    </li>
  );
});

export function DiagnosticsList() {
  const diagnostics = useEditorStore((s) => s.result.diagnostics);
  const empty = useEditorStore((s) => s.doc.nodes.length === 0);
  const sorted = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="lb-diagnostics" aria-label="Problems">
      <h3 className="lb-section-title">
        Problems
        {errors > 0 && <span className="lb-count lb-count--error">{errors}</span>}
        {warnings > 0 && <span className="lb-count lb-count--warning">{warnings}</span>}
      </h3>
      <ul className="lb-diagnostics__list" data-testid="diagnostics">
        {!empty && sorted.length === 0 && <li className="lb-diag lb-diag--ok">No problems: the graph compiles.</li>}
        {empty && <li className="lb-diag lb-diag--ok">Add an Input layer to start.</li>}
        {!empty && sorted.map((d, i) => <Item key={`${d.code}:${d.nodeId ?? ''}:${i}`} d={d} />)}
      </ul>
    </section>
  );
}
