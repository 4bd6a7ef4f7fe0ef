'use client';
/**
 * The one node component: every layer type is drawn from its spec's data (see lib/flow.ts).
 * Memoised on its data, so a drag or an edit elsewhere does not re-render it.
 */
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, type CSSProperties } from 'react';
import { CATEGORY_COLORS } from '@/lib/categories';
import type { LayerFlowNode } from '@/lib/flow';
import { useHealthMarks } from '@/lib/training/health-marks';

/** The training-health mark: subscribes to this node's sentence only, so an epoch re-renders only the nodes whose warning changed. */
function HealthMark({ id }: { id: string }) {
  const text = useHealthMarks((s) => s.marks[id]);
  if (!text) return null;
  return (
    <span className="lb-badge lb-badge--warning lb-badge--health" role="img" aria-label={`Training health: ${text}`} data-testid="node-health">
      ⚠
      <span className="lb-tip" role="tooltip">
        {text}
      </span>
    </span>
  );
}

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const updateNodeInternals = useUpdateNodeInternals();
  const { inputs } = data;
  useEffect(() => {
    // A merge layer grows a handle per connection: React Flow must measure the new one.
    if (inputs > 1) updateNodeInternals(id);
  }, [id, inputs, updateNodeInternals]);

  const style = { '--cat': CATEGORY_COLORS[data.category] } as CSSProperties;
  const className = ['lb-node', data.severity ? `lb-node--${data.severity}` : '', selected ? 'is-selected' : ''].join(' ');
  return (
    <div className={className} style={style} data-type={data.type}>
      {inputs === 0 ? (
        <Handle type="target" id="in" position={Position.Top} isConnectable={false} className="lb-handle lb-handle--hidden" />
      ) : inputs === 1 ? (
        <Handle type="target" id="in" position={Position.Top} className="lb-handle" />
      ) : (
        Array.from({ length: inputs }, (_, i) => (
          <Handle
            key={i}
            type="target"
            id={`in-${i}`}
            position={Position.Top}
            className="lb-handle lb-handle--slot"
            style={{ left: `${((i + 1) / (inputs + 1)) * 100}%` }}
            title={`input ${i + 1}`}
          />
        ))
      )}
      <div className="lb-node__head">
        <span className="lb-node__type">{data.type}</span>
        <HealthMark id={id} />
        {data.severity && (
          <span
            className={`lb-badge lb-badge--${data.severity}`}
            role="img"
            aria-label={data.messages}
            data-testid="node-badge"
          >
            {data.severity === 'error' ? '!' : '⚠'}
            {data.problemCount > 1 && <span className="lb-badge__count">{data.problemCount}</span>}
            <span className="lb-tip" role="tooltip">
              {data.messages}
            </span>
          </span>
        )}
      </div>
      <div className="lb-node__name" title={data.name}>
        <bdi>{data.name}</bdi>
      </div>
      {data.summary && <div className="lb-node__summary">{data.summary}</div>}
      <div className="lb-node__foot">
        <span className={`lb-node__shape${data.shape ? '' : ' is-unknown'}`} data-testid="node-shape">
          {data.shape ?? 'shape ?'}
        </span>
        {data.params !== null && (
          <span className="lb-node__params" data-testid="node-params">
            {data.params} <span className="lb-unit">params</span>
          </span>
        )}
      </div>
      <Handle type="source" id="out" position={Position.Bottom} className="lb-handle" />
    </div>
  );
}

/** The generic layer node, registered as node type `layer`. */
export const LayerNode = memo(LayerNodeView, (a, b) => a.data === b.data && a.selected === b.selected && a.id === b.id);
