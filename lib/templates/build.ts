/**
 * A small builder for template documents: templates are plain version-1 graph documents without
 * positions (the editor lays them out on opening), written as chains with the odd branch.
 */
import type { GraphDocument, GraphEdge, GraphNode } from '@/graph-compiler';

/** `[id, type, params]`: one node of a template. */
export type NodeSpec = [id: string, type: string, params?: Record<string, unknown>];

/** Builds a document from nodes and explicit edges. */
export function graph(name: string, nodes: NodeSpec[], edges: [string, string][]): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    name,
    nodes: nodes.map(([id, type, params]): GraphNode => ({ id, type, params: params ?? {} })),
    edges: edges.map(([source, target]): GraphEdge => ({ source, target })),
  };
}

/** A straight chain: each node feeds the next. */
export function sequential(name: string, nodes: NodeSpec[]): GraphDocument {
  const edges: [string, string][] = [];
  for (let i = 1; i < nodes.length; i++) edges.push([nodes[i - 1][0], nodes[i][0]]);
  return graph(name, nodes, edges);
}

/** A straight chain that comes with its training set-up (data set, epochs, ...). */
export function withTraining(training: Record<string, unknown>, name: string, nodes: NodeSpec[]): GraphDocument {
  return { ...sequential(name, nodes), training };
}

/** Edges of a chain of ids. */
export function chainEdges(...ids: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 1; i < ids.length; i++) out.push([ids[i - 1], ids[i]]);
  return out;
}
