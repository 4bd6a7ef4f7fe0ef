/** The look the training charts share (uPlot): the axis and grid colours and an axis's style. */
import type uPlotType from 'uplot';

const GRID = '#ececE8';
const AXIS = '#8a9097';

/** A chart axis in the panel's style, with an optional label. */
export function chartAxis(label?: string): uPlotType.Axis {
  return {
    stroke: AXIS,
    font: '11px system-ui, sans-serif',
    labelFont: '11px system-ui, sans-serif',
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, width: 1, size: 4 },
    label,
    labelSize: label ? 16 : 0,
    size: 40,
  };
}
