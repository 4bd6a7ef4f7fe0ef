'use client';
/**
 * An edge labelled with the tensor shape it carries. Edges that would cross other nodes run
 * down a lane beside them (see `routeLanes` in lib/flow.ts).
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ShapeFlowEdge } from '@/lib/flow';

const R = 14;

/**
 * A rounded orthogonal path: down out of the source, across to the lane, along the lane (down,
 * or up for an edge into a column on its right), across, and down into the target.
 */
function lanePath(sx: number, sy: number, tx: number, ty: number, lane: number): [string, number, number] {
  const y1 = sy + 18;
  const y2 = ty - 18;
  const d1 = Math.sign(lane - sx) || 1;
  const d2 = Math.sign(tx - lane) || 1;
  const dv = Math.sign(y2 - y1) || 1;
  const half = Math.abs(y2 - y1) / 2;
  const r1 = Math.min(R, Math.abs(lane - sx) / 2, half);
  const r2 = Math.min(R, Math.abs(tx - lane) / 2, half);
  const path = [
    `M ${sx} ${sy}`,
    `L ${sx} ${y1 - r1}`,
    `Q ${sx} ${y1} ${sx + d1 * r1} ${y1}`,
    `L ${lane - d1 * r1} ${y1}`,
    `Q ${lane} ${y1} ${lane} ${y1 + dv * r1}`,
    `L ${lane} ${y2 - dv * r2}`,
    `Q ${lane} ${y2} ${lane + d2 * r2} ${y2}`,
    `L ${tx - d2 * r2} ${y2}`,
    `Q ${tx} ${y2} ${tx} ${y2 + r2}`,
    `L ${tx} ${ty}`,
  ].join(' ');
  return [path, lane, (y1 + y2) / 2];
}

function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const lane = data?.lane ?? null;
  const [path, labelX, labelY] =
    lane !== null
      ? lanePath(sourceX, sourceY, targetX, targetY, lane)
      : getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const dropped = data?.dropped ?? false;
  const className = ['lb-edge', dropped ? 'is-dropped' : '', selected ? 'is-selected' : ''].join(' ');
  return (
    <>
      <BaseEdge id={props.id} path={path} className={className} markerEnd={markerEnd} interactionWidth={16} />
      {(data?.label || dropped) && (
        <EdgeLabelRenderer>
          <div
            className={`lb-edge-label nodrag nopan${dropped ? ' is-dropped' : ''}${selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {dropped ? 'not used' : data?.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** The edge type `shape`. */
export const ShapeEdge = memo(ShapeEdgeView);
