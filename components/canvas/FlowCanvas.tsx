'use client';
/**
 * The canvas: React Flow, controlled by the editor store. Nodes and edges are derived from the
 * document and compile result (lib/flow.ts); React Flow's changes are turned into store actions.
 */
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useConnection,
  useReactFlow,
  useStore,
  type ReactFlowState,
  getViewportForBounds,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import type { Position } from '@/graph-compiler';
import { CATEGORY_COLORS } from '@/lib/categories';
import { DEFAULT_SIZE, FlowCache, type LayerFlowNode, type Measured, type ShapeFlowEdge } from '@/lib/flow';
import { connectionProblem } from '@/lib/graph';
import { setLayoutContext } from '@/lib/open';
import { useEditorStore } from '@/lib/store';
import { LAYER_MIME, setCanvasBridge } from './bridge';
import { EmptyState } from './EmptyState';
import { LayerNode } from './LayerNode';
import { QuickAdd } from './QuickAdd';
import { ShapeEdge } from './ShapeEdge';

/** Registered once, at module scope: React Flow warns when these maps change. */
const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };

const GRID = 16;
const SNAP: [number, number] = [GRID, GRID];
const snap = (v: number) => Math.round(v / GRID) * GRID;
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const FIT_OPTIONS = { padding: 0.15, maxZoom: 1 };
const MIN_ZOOM = 0.05;
const PRO_OPTIONS = { hideAttribution: false };
const MINIMAP_STYLE = { width: 168, height: 112 };
/** Below this zoom, text is too small to read: nodes are drawn as plain coloured cards. */
const FAR_ZOOM = 0.35;
/** From this many nodes on, only the nodes and edges in view are kept in the DOM. */
const CULL_FROM = 150;
const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;
/** Covers the canvas (and takes its pointer) while a document is being laid out. */
const OPENING_STYLE = { position: 'absolute', inset: 0, zIndex: 6, display: 'grid', placeItems: 'center', background: 'rgb(247 247 245 / 0.6)', cursor: 'progress' } as const;
const OPENING_LABEL_STYLE = { maxWidth: '70%', padding: '10px 16px', borderRadius: 10, background: '#fff', boxShadow: '0 1px 4px rgb(0 0 0 / 0.15)', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

interface QuickAddState {
  /** Where the box opens, relative to the canvas. */
  left: number;
  top: number;
  /** Where the new layer goes, in graph coordinates. */
  at: Position;
  connectFrom?: string;
}

/** Ends of a connection in data-flow order, whichever handle the drag started from. */
function ends(from: string, to: string, fromType: 'source' | 'target' | undefined): [string, string] {
  return fromType === 'target' ? [to, from] : [from, to];
}

function slotOf(handle: string | null | undefined): number | undefined {
  const m = handle?.match(/^in-(\d+)$/);
  return m ? Number(m[1]) : undefined;
}

const isValidConnection: IsValidConnection = (c) => !connectionProblem(useEditorStore.getState().doc, c.source, c.target);

/** Says why the connection being dragged cannot be made. */
function ConnectionHint() {
  const connection = useConnection();
  const doc = useEditorStore((s) => s.doc);
  if (!connection.inProgress || !connection.toNode || connection.isValid !== false) return null;
  const [source, target] = ends(connection.fromNode.id, connection.toNode.id, connection.fromHandle.type);
  const problem = connectionProblem(doc, source, target);
  if (!problem) return null;
  return (
    <Panel position="top-center" className="lb-connection-hint" role="status">
      <span className="lb-connection-hint__icon" aria-hidden>
        ⊘
      </span>
      {problem}
    </Panel>
  );
}

function minimapColor(node: LayerFlowNode): string {
  return CATEGORY_COLORS[node.data.category];
}

export function FlowCanvas({ ready = true }: { ready?: boolean }) {
  const doc = useEditorStore((s) => s.doc);
  const result = useEditorStore((s) => s.result);
  const selectedNodes = useEditorStore((s) => s.selectedNodes);
  const selectedEdges = useEditorStore((s) => s.selectedEdges);
  const focusRequest = useEditorStore((s) => s.focusRequest);
  const fitRequest = useEditorStore((s) => s.fitRequest);
  const opening = useEditorStore((s) => s.opening);
  const flow = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const far = useStore(isFar);
  const wrapper = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<ReadonlyMap<string, Measured>>(() => new Map());
  const measuredRef = useRef(measured);
  useLayoutEffect(() => {
    measuredRef.current = measured;
  }, [measured]);
  const [quickAdd, setQuickAdd] = useState<QuickAddState | null>(null);
  /** The pointer over the canvas, in screen coordinates (a paste lands there). */
  const pointer = useRef<{ x: number; y: number } | null>(null);

  // One cache for the component's life: it hands back the previous object for an unchanged node.
  const [cache] = useState(() => new FlowCache());
  const nodes = useMemo(() => cache.nodes(doc, result, selectedNodes, measured), [cache, doc, result, selectedNodes, measured]);
  const edges = useMemo(() => cache.edges(doc, result, selectedEdges, measured), [cache, doc, result, selectedEdges, measured]);

  useEffect(() => {
    setCanvasBridge({
      viewCentre() {
        const rect = wrapper.current?.getBoundingClientRect();
        if (!rect) return { x: 0, y: 0 };
        const p = flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
        return { x: snap(p.x - DEFAULT_SIZE.width / 2), y: snap(p.y - DEFAULT_SIZE.height / 2) };
      },
      pointer() {
        if (!pointer.current) return null;
        const p = flow.screenToFlowPosition(pointer.current);
        return { x: snap(p.x), y: snap(p.y) };
      },
    });
    setLayoutContext(() => {
      const rect = wrapper.current?.getBoundingClientRect();
      return { sizes: measuredRef.current, aspectRatio: rect && rect.height > 0 ? rect.width / rect.height : undefined };
    });
    return () => setCanvasBridge(null);
  }, [flow]);

  useEffect(() => {
    if (!focusRequest) return;
    const node = flow.getInternalNode(focusRequest.id);
    if (!node) return;
    const w = node.measured.width ?? DEFAULT_SIZE.width;
    const h = node.measured.height ?? DEFAULT_SIZE.height;
    const p = node.internals.positionAbsolute;
    void flow.setCenter(p.x + w / 2, p.y + h / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
  }, [focusRequest, flow]);

  useEffect(() => {
    // Fit from the document's positions rather than with React Flow's fitView, which waits
    // until every node is measured: with culling, nodes out of view never are.
    if (fitRequest === 0 || !wrapper.current) return;
    const { doc: current } = useEditorStore.getState();
    if (current.nodes.length === 0) return;
    const sizes = measuredRef.current;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const n of current.nodes) {
      const p = n.position ?? { x: 0, y: 0 };
      const m = sizes.get(n.id) ?? DEFAULT_SIZE;
      x0 = Math.min(x0, p.x);
      y0 = Math.min(y0, p.y);
      x1 = Math.max(x1, p.x + m.width);
      y1 = Math.max(y1, p.y + m.height);
    }
    const { width, height } = wrapper.current.getBoundingClientRect();
    const viewport = getViewportForBounds({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, width, height, MIN_ZOOM, FIT_OPTIONS.maxZoom, FIT_OPTIONS.padding);
    void flow.setViewport(viewport);
  }, [fitRequest, flow]);

  const onNodesChange = useCallback((changes: NodeChange<LayerFlowNode>[]) => {
    const store = useEditorStore.getState();
    let moves: Map<string, Position> | null = null;
    let sizes: Map<string, Measured> | null = null;
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === 'position' && c.position) {
        (moves ??= new Map()).set(c.id, c.position);
      } else if (c.type === 'dimensions' && c.dimensions) {
        (sizes ??= new Map()).set(c.id, c.dimensions);
      } else if (c.type === 'select') {
        selection ??= new Set(store.selectedNodes);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (moves) store.moveNodes(moves);
    if (selection) store.setSelection(selection, useEditorStore.getState().selectedEdges);
    if (sizes) {
      const updates = sizes;
      setMeasured((prev) => {
        let next: Map<string, Measured> | null = null;
        for (const [id, d] of updates) {
          const old = prev.get(id);
          if (old && old.width === d.width && old.height === d.height) continue;
          next ??= new Map(prev);
          next.set(id, { width: d.width, height: d.height });
        }
        return next ?? prev;
      });
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => {
    const store = useEditorStore.getState();
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === 'select') {
        selection ??= new Set(store.selectedEdges);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (selection) store.setSelection(useEditorStore.getState().selectedNodes, selection);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    useEditorStore.getState().connect(c.source, c.target, slotOf(c.targetHandle));
  }, []);

  const onConnectEnd: OnConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode) return;
      const store = useEditorStore.getState();
      if (state.toNode) {
        const [source, target] = ends(state.fromNode.id, state.toNode.id, state.fromHandle?.type);
        const problem = connectionProblem(store.doc, source, target);
        if (problem) store.toast(problem, 'error');
        return;
      }
      // Dropped on empty canvas from an output: offer the quick-add box, connected to it.
      if (state.fromHandle?.type !== 'source' || !wrapper.current) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      const rect = wrapper.current.getBoundingClientRect();
      const at = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      setQuickAdd({
        left: point.clientX - rect.left,
        top: point.clientY - rect.top,
        at: { x: snap(at.x - DEFAULT_SIZE.width / 2), y: snap(at.y) },
        connectFrom: state.fromNode.id,
      });
    },
    [flow],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(LAYER_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(LAYER_MIME);
      if (!type) return;
      event.preventDefault();
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      useEditorStore.getState().addNode(type, { x: snap(p.x - DEFAULT_SIZE.width / 2), y: snap(p.y - 24) });
    },
    [flow],
  );

  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!(event.target as Element).classList.contains('react-flow__pane') || !wrapper.current) return;
      const rect = wrapper.current.getBoundingClientRect();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      setQuickAdd({
        left: event.clientX - rect.left,
        top: event.clientY - rect.top,
        at: { x: snap(at.x - DEFAULT_SIZE.width / 2), y: snap(at.y - 24) },
      });
    },
    [flow],
  );

  const beginMove = useCallback(() => useEditorStore.getState().beginMove(), []);
  const endMove = useCallback(() => useEditorStore.getState().endMove(), []);
  const closeQuickAdd = useCallback(() => setQuickAdd(null), []);

  return (
    <div
      className={far ? 'lb-canvas is-far' : 'lb-canvas'}
      ref={wrapper}
      onDoubleClick={onDoubleClick}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPointerMove={(e) => {
        pointer.current = { x: e.clientX, y: e.clientY };
      }}
      onPointerLeave={() => {
        pointer.current = null;
      }}
    >
      <ReactFlow<LayerFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginMove}
        onNodeDragStop={endMove}
        onSelectionDragStart={beginMove}
        onSelectionDragStop={endMove}
        snapToGrid
        snapGrid={SNAP}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        zoomOnDoubleClick={false}
        minZoom={MIN_ZOOM}
        maxZoom={2.5}
        proOptions={PRO_OPTIONS}
        elevateEdgesOnSelect
        onlyRenderVisibleElements={nodes.length >= CULL_FROM}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.2} color="#c9ccd1" />
        <MiniMap<LayerFlowNode> style={MINIMAP_STYLE} pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={0} nodeBorderRadius={6} maskColor="rgb(247 247 245 / 0.7)" />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton onClick={() => useEditorStore.getState().requestFit()} title="Fit the graph in view (F)" aria-label="fit view">
            <svg viewBox="0 0 32 30" aria-hidden>
              <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
            </svg>
          </ControlButton>
        </Controls>
        <ConnectionHint />
      </ReactFlow>
      {ready && doc.nodes.length === 0 && opening === null && <EmptyState />}
      {opening !== null && (
        // Over the canvas while a document is laid out: edits wait (the store refuses them too).
        <div style={OPENING_STYLE} role="status" data-testid="canvas-opening">
          <span style={OPENING_LABEL_STYLE}>Laying out{opening ? <> <bdi>{opening}</bdi></> : ''}…</span>
        </div>
      )}
      {quickAdd && (
        <QuickAdd left={quickAdd.left} top={quickAdd.top} at={quickAdd.at} connectFrom={quickAdd.connectFrom} onClose={closeQuickAdd} />
      )}
    </div>
  );
}
