'use client';
/**
 * The inspector: the selected layer's name, a form generated from its params, and what the
 * compiler worked out for it (output shape with its arithmetic, parameter arithmetic, MACs).
 * With several layers selected it offers the actions that apply to all of them; with nothing
 * selected it describes the model.
 */
import { Fragment, useMemo, useState } from 'react';
import type { CurveName } from '@/graph-compiler/activations/curves';
import { fmtShape, formatBytes, formatCount, layerByType, visibleText, type GraphNode, type NodeResult, type ParamSpec } from '@/graph-compiler';
import { CATEGORY_COLORS } from '@/lib/categories';
import { groupThousands } from '@/lib/format';
import { useEditorStore, type EditorState } from '@/lib/store';
import { presetKernel, type Kernel3, type KernelPreset } from '@/graph-compiler/conv-kernels';
import { ActivationPlot } from './ActivationPlot';
import { FeatureMaps } from './FeatureMaps';
import { KernelGrid } from './KernelGrid';
import { KernelPreview } from './KernelPreview';
import { ParamField } from './ParamField';

/** Params whose choice is plotted beside it: the function and its derivative (test id `activation-plot`). */
const PLOTTED = new Set(['activation', 'recurrentActivation']);

/** Params that are rarely changed, folded away under "Regularization". */
function NameField({ node }: { node: GraphNode }) {
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? node.label ?? node.id;
  const commit = () => {
    if (draft !== null) useEditorStore.getState().renameNode(node.id, draft);
    setDraft(null);
  };
  return (
    <div className="lb-field lb-field--name">
      <div className="lb-field__row">
        <label className="lb-field__label" htmlFor={`name-${node.id}`}>
          Name
        </label>
        <div className="lb-field__control">
          <input
            id={`name-${node.id}`}
            className="lb-input"
            value={value}
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
              if (e.key === 'Escape') setDraft(null);
            }}
            data-testid="inspector-name"
          />
        </div>
      </div>
      {visibleText(value) !== value && (
        // An input's value cannot hold markup: the controls are written out beside it instead.
        <p className="lb-field__help" style={{ color: 'var(--color-warning)' }} role="note" data-testid="inspector-name-bidi">
          This name holds direction controls that can reorder how it reads; written out: <bdi className="lb-mono">{visibleText(value)}</bdi>
        </p>
      )}
      {node.label && node.label !== node.id && (
        <p className="lb-field__help">
          id <bdi>{visibleText(node.id)}</bdi>
        </p>
      )}
    </div>
  );
}

function Figures({ r }: { r: NodeResult }) {
  const count = r.paramCount;
  return (
    <section className="lb-inspector__section" data-testid="inspector-figures">
      <h3 className="lb-section-title">Output</h3>
      <dl className="lb-figures">
        <dt>Shape</dt>
        <dd className="lb-mono" data-testid="inspector-shape">
          {r.outputShape ? fmtShape(r.outputShape) : 'unknown'}
        </dd>
        {r.inputShapes.length > 0 && (
          <>
            <dt>Input{r.inputShapes.length > 1 ? 's' : ''}</dt>
            <dd className="lb-mono">{r.inputShapes.map((s, i) => `${s ? fmtShape(s) : '?'} from ${r.inputIds[i]}`).join(', ')}</dd>
          </>
        )}
        {count && (
          <>
            <dt>Params</dt>
            <dd className="lb-mono">
              {groupThousands(count.trainable + count.nonTrainable)}
              {count.nonTrainable > 0 && <span className="lb-muted"> ({groupThousands(count.nonTrainable)} not trainable)</span>}
            </dd>
          </>
        )}
        {r.macs !== null && r.macs > 0 && (
          <>
            <dt>MACs</dt>
            <dd className="lb-mono" title={groupThousands(r.macs)}>
              {formatCount(r.macs)}
            </dd>
          </>
        )}
        {r.outputShape && (
          <>
            <dt>Memory</dt>
            <dd className="lb-mono">{formatBytes(4 * r.outputShape.reduce((a, b) => a * b, 1))} per example</dd>
          </>
        )}
      </dl>
      {r.shapeFormula.length > 0 && (
        <div className="lb-formula" data-testid="shape-formula">
          <div className="lb-formula__title">Output size</div>
          {r.shapeFormula.map((line, i) => (
            <code key={i}>{line}</code>
          ))}
        </div>
      )}
      {r.paramFormula && (
        <div className="lb-formula" data-testid="param-formula">
          <div className="lb-formula__title">Parameters</div>
          <code>{r.paramFormula}</code>
        </div>
      )}
    </section>
  );
}

function NodeInspector({ node, r }: { node: GraphNode; r: NodeResult | undefined }) {
  const spec = layerByType(node.type);
  const diagnostics = r?.diagnostics ?? [];
  // A param shown only with another's value (leakyRelu's alpha) follows the value in force.
  const values = r?.params ?? node.params;
  const params = Object.entries((spec?.params ?? {}) as Record<string, ParamSpec>)
    .filter(([, p]) => !p.shownWhen || values[p.shownWhen.param] === p.shownWhen.equals);
  const general = diagnostics.filter((d) => !d.param || !spec || !(d.param in spec.params));
  const color = CATEGORY_COLORS[spec?.category ?? 'unknown'];
  const store = useEditorStore.getState;
  // A layer that declares a kernel preset (Conv2D) shows its kernel as the grid, with its
  // preview, in place of the rows-text field.
  const hasPreset = !!spec && 'kernelPreset' in spec.params;
  const kernel = hasPreset ? presetKernel((values.kernelPreset ?? 'none') as KernelPreset, values.kernel as Kernel3 | undefined) : null;
  const setKernel = (k: Kernel3) => {
    store().updateParam(node.id, 'kernel', k);
    if (values.kernelPreset !== 'custom') store().updateParam(node.id, 'kernelPreset', 'custom');
  };
  const field = ([key, p]: [string, ParamSpec]) => key === 'kernel' && hasPreset ? null : (
    <Fragment key={`${node.id}:${key}`}>
      <ParamField
        name={key}
        spec={p}
        raw={node.params[key]}
        optionLabels={p.kind === 'choice' ? p.titles : undefined}
        diagnostics={diagnostics.filter((d) => d.param === key)}
        onCommit={(value) => store().updateParam(node.id, key, value)}
      />
      {PLOTTED.has(key) && typeof values[key] === 'string' && <ActivationPlot activation={values[key] as CurveName} alpha={typeof values.alpha === 'number' ? values.alpha : undefined} />}
      {key === 'kernelPreset' && kernel && (
        <div className="lb-kernel-lesson" data-testid="kernel-lesson">
          <KernelGrid kernel={kernel} onChange={setKernel} />
          <KernelPreview kernel={kernel} />
        </div>
      )}
    </Fragment>
  );
  const advanced = params.filter(([, p]) => p.advanced);
  return (
    <div className="lb-inspector" data-testid="inspector" data-node-id={node.id}>
      <header className="lb-inspector__head" style={{ borderTopColor: color }}>
        <div className="lb-inspector__type" style={{ color }}>
          <bdi>{visibleText(node.type)}</bdi>
          <span className="lb-inspector__cat">{spec?.category ?? 'unknown type'}</span>
        </div>
        <div className="lb-inspector__actions">
          <button type="button" className="lb-btn lb-btn--ghost" onClick={() => store().duplicateSelection()} title="Duplicate (Ctrl+D)">
            Duplicate
          </button>
          <button type="button" className="lb-btn lb-btn--ghost lb-btn--danger" onClick={() => store().deleteElements([node.id])} title="Delete (Del)">
            Delete
          </button>
        </div>
      </header>
      <div className="lb-inspector__body">
        <NameField key={node.id} node={node} />
        {spec && <p className="lb-inspector__desc">{spec.description}</p>}
        {general.length > 0 && (
          <ul className="lb-inspector__problems">
            {general.map((d, i) => (
              <li key={i} className={`lb-problem lb-problem--${d.severity}`}>
                {d.message}
              </li>
            ))}
          </ul>
        )}
        {params.length > 0 && (
          <section className="lb-inspector__section">
            <h3 className="lb-section-title">Parameters</h3>
            {params.filter(([, p]) => !p.advanced).map(field)}
            {advanced.length > 0 && (
              <details className="lb-advanced" open={advanced.some(([k]) => node.params[k] !== undefined && node.params[k] !== 0)}>
                <summary>Regularization</summary>
                {advanced.map(field)}
              </details>
            )}
          </section>
        )}
        {node.type === 'Maxout' && <ActivationPlot activation="maxout" />}
        {r && <Figures r={r} />}
        {r?.outputShape && <FeatureMaps key={node.id} nodeId={node.id} shape={r.outputShape} />}
      </div>
    </div>
  );
}

function MultiInspector({ ids }: { ids: ReadonlySet<string> }) {
  const result = useEditorStore((s) => s.result);
  let params = 0;
  for (const id of ids) {
    const c = result.nodes[id]?.paramCount;
    if (c) params += c.trainable + c.nonTrainable;
  }
  const store = useEditorStore.getState;
  return (
    <div className="lb-inspector" data-testid="inspector">
      <header className="lb-inspector__head">
        <div className="lb-inspector__type">{ids.size} layers selected</div>
      </header>
      <div className="lb-inspector__body">
        <p className="lb-inspector__desc">
          Together they hold <strong>{groupThousands(params)}</strong> parameters. Copy them with Ctrl+C, or duplicate them with the
          edges between them.
        </p>
        <div className="lb-inspector__actions">
          <button type="button" className="lb-btn" onClick={() => store().duplicateSelection()}>
            Duplicate
          </button>
          <button type="button" className="lb-btn lb-btn--danger" onClick={() => store().deleteSelection()}>
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}

function ModelOverview() {
  const doc = useEditorStore((s) => s.doc);
  const result = useEditorStore((s) => s.result);
  const t = result.totals;
  if (doc.nodes.length === 0) {
    return (
      <div className="lb-overview">
        <h3 className="lb-section-title">Inspector</h3>
        <p className="lb-muted">Select a layer to edit its parameters and see how its shape and parameter count are worked out.</p>
      </div>
    );
  }
  return (
    <div className="lb-overview">
      <h3 className="lb-section-title">Model</h3>
      <dl className="lb-figures">
        <dt>Layers</dt>
        <dd className="lb-mono">{doc.nodes.length}</dd>
        <dt>Inputs</dt>
        <dd className="lb-mono">{result.inputs.map((id) => fmtShape(result.nodes[id]?.outputShape ?? [])).join(', ') || '—'}</dd>
        <dt>Outputs</dt>
        <dd className="lb-mono">
          {result.outputs.map((id) => (result.nodes[id]?.outputShape ? fmtShape(result.nodes[id].outputShape!) : '?')).join(', ') || '—'}
        </dd>
        <dt>Params</dt>
        <dd className="lb-mono">{groupThousands(t.totalParams)}</dd>
        <dt>MACs</dt>
        <dd className="lb-mono">{formatCount(t.macs)}</dd>
        <dt>Weights</dt>
        <dd className="lb-mono">{formatBytes(t.weightBytes)}</dd>
      </dl>
      <p className="lb-muted lb-overview__hint">Select a layer to edit it. Shift-click or Shift-drag selects several.</p>
    </div>
  );
}

/** The selected node without its position, so that dragging it does not re-render the form. */
function useSelectedNode(id: string | null): GraphNode | undefined {
  const find = (s: EditorState) => (id ? s.doc.nodes.find((n) => n.id === id) : undefined);
  const type = useEditorStore((s) => find(s)?.type);
  const params = useEditorStore((s) => find(s)?.params);
  const label = useEditorStore((s) => find(s)?.label);
  return useMemo(() => (id && type && params ? { id, type, params, label } : undefined), [id, type, params, label]);
}

export function Inspector() {
  const selected = useEditorStore((s) => s.selectedNodes);
  const single = selected.size === 1 ? [...selected][0] : null;
  const node = useSelectedNode(single);
  const r = useEditorStore((s) => (single ? s.result.nodes[single] : undefined));
  if (node) return <NodeInspector node={node} r={r} />;
  if (selected.size > 1) return <MultiInspector ids={selected} />;
  return <ModelOverview />;
}
