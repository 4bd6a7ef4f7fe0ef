/**
 * What the canvas lends the rest of the editor while it is mounted: where the middle of the
 * view is in graph coordinates (the palette adds a clicked layer there), and where the pointer
 * is over the canvas (a paste lands there).
 */
import type { Position } from '@/graph-compiler';

/** The MIME type of a layer dragged from the palette onto the canvas. */
export const LAYER_MIME = 'application/x-layerboard-layer';

export interface CanvasBridge {
  viewCentre(): Position;
  /** The pointer in graph coordinates (snapped to the grid), or null when it is not over the canvas. */
  pointer(): Position | null;
}

let current: CanvasBridge | null = null;

export function setCanvasBridge(bridge: CanvasBridge | null): void {
  current = bridge;
}

export function canvasBridge(): CanvasBridge | null {
  return current;
}
