/**
 * Pass 1, parse: checks the document envelope with zod. Only a document that is not a
 * version-1 graph at all is fatal; anything wrong inside nodes and edges becomes a diagnostic
 * and the readable rest goes on to the next passes.
 */
import { z } from 'zod';
import { closest, diag, type DiagnosticCode } from '../diagnostics';
import { formatValue } from '../params';
import type { Diagnostic, GraphDocument, GraphEdge, GraphNode } from '../types';
import { clip, doorProblem, MAX_UNKNOWN_PER_OBJECT } from './limits';

export const FORMAT = 'layerboard.graph';
export const VERSION = 1;

const envelopeSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  name: z.string().optional(),
  nodes: z.array(z.unknown()),
  edges: z.array(z.unknown()),
  training: z.record(z.string(), z.unknown()).optional(),
});

const nodeSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  label: z.string().optional(),
});

const edgeSchema = z.object({ source: z.string(), target: z.string() });

const TOP_KEYS = ['format', 'version', 'name', 'nodes', 'edges', 'training'];
const NODE_KEYS = ['id', 'type', 'params', 'position', 'label'];
const EDGE_KEYS = ['source', 'target'];

export type ParseOutcome =
  | { ok: false; code: DiagnosticCode; message: string }
  | { ok: true; doc: GraphDocument; nodes: GraphNode[]; edges: GraphEdge[]; diagnostics: Diagnostic[] };

/** Why a value is not a version-1 graph document, or null when it is one. */
function envelopeProblem(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return 'not a graph document: expected a JSON object with "format": "layerboard.graph"';
  }
  const o = input as Record<string, unknown>;
  if (o.format !== FORMAT) return `not a graph document: "format" is ${formatValue(o.format)}, expected "${FORMAT}"`;
  if (o.version !== VERSION) {
    return typeof o.version === 'number' && o.version > VERSION
      ? `graph document version ${o.version} is newer than this Layerboard reads (version ${VERSION}); update Layerboard`
      : `unsupported graph document version ${formatValue(o.version)}; expected ${VERSION}`;
  }
  if (!Array.isArray(o.nodes)) return '"nodes" must be an array';
  if (!Array.isArray(o.edges)) return '"edges" must be an array';
  if (o.name !== undefined && typeof o.name !== 'string') return '"name" must be a string';
  if (o.training !== undefined && (typeof o.training !== 'object' || o.training === null || Array.isArray(o.training))) {
    return '"training" must be an object';
  }
  return null;
}

function unknownKeys(o: object, known: string[], where: () => string, out: Diagnostic[], nodeId?: string): void {
  let count = 0;
  for (const k in o) {
    if (known.includes(k)) continue;
    if (++count > MAX_UNKNOWN_PER_OBJECT) continue;
    const hint = closest(k, known);
    out.push(diag('unknown-key', `${where()} has an unknown key "${clip(k)}"${hint ? ` (did you mean "${hint}"?)` : ''}; it is kept but ignored.`, nodeId));
  }
  if (count > MAX_UNKNOWN_PER_OBJECT) {
    out.push(diag('unknown-key', `${where()} has ${count - MAX_UNKNOWN_PER_OBJECT} more unknown keys; they are kept but ignored.`, nodeId));
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The common well-formed node, accepted without zod; anything else goes to the schema. */
function isPlainNode(raw: unknown): raw is GraphNode {
  if (!isRecord(raw)) return false;
  const { id, type, params, position, label } = raw;
  return typeof id === 'string' && id.length > 0 && typeof type === 'string'
    && (params === undefined || isRecord(params))
    && (label === undefined || typeof label === 'string')
    && (position === undefined || (isRecord(position) && typeof position.x === 'number' && typeof position.y === 'number'
      && Number.isFinite(position.x) && Number.isFinite(position.y)));
}

/** Parses an already JSON-decoded value. */
export function parseDocument(input: unknown): ParseOutcome {
  const door = doorProblem(input);
  if (door) return { ok: false, ...door };
  const problem = envelopeProblem(input);
  if (problem) return { ok: false, code: 'not-a-document', message: problem };
  const env = envelopeSchema.safeParse(input);
  if (!env.success) return { ok: false, code: 'not-a-document', message: `not a graph document: ${env.error.issues[0]?.message ?? 'invalid'}` };
  const doc = input as GraphDocument;
  const diagnostics: Diagnostic[] = [];
  unknownKeys(doc, TOP_KEYS, () => 'The document', diagnostics);

  const nodes: GraphNode[] = [];
  doc.nodes.forEach((raw, i) => {
    if (isPlainNode(raw)) {
      unknownKeys(raw, NODE_KEYS, () => `Node "${clip(raw.id)}"`, diagnostics, raw.id);
      nodes.push(raw.params ? raw : { ...raw, params: {} });
      return;
    }
    const r = nodeSchema.safeParse(raw);
    if (!r.success) {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' && (raw as { id: string }).id
        ? (raw as { id: string }).id : undefined;
      const issue = r.error.issues[0];
      const field = issue?.path.join('.') || 'node';
      const got = typeof raw === 'object' && raw !== null ? formatValue((raw as Record<string, unknown>)[String(issue?.path[0])]) : formatValue(raw);
      diagnostics.push(diag('node-malformed',
        `Node ${id ? `"${clip(id)}"` : `#${i + 1}`} is not readable: ${field === 'id' ? '"id" must be a non-empty string' : `"${field}" ${issue?.code === 'invalid_type' ? `must be ${expected(issue)}` : 'is invalid'}`}; got ${got}. It is left out.`, id));
      return;
    }
    unknownKeys(raw as object, NODE_KEYS, () => `Node "${clip(r.data.id)}"`, diagnostics, r.data.id);
    nodes.push({ ...(raw as GraphNode), params: r.data.params ?? {} });
  });

  const edges: GraphEdge[] = [];
  doc.edges.forEach((raw, i) => {
    if (isRecord(raw) && typeof raw.source === 'string' && typeof raw.target === 'string') {
      unknownKeys(raw, EDGE_KEYS, () => `Edge "${clip(raw.source)}" → "${clip(raw.target)}"`, diagnostics);
      edges.push(raw as GraphEdge);
      return;
    }
    const r = edgeSchema.safeParse(raw);
    if (!r.success) {
      diagnostics.push(diag('edge-malformed', `Edge #${i + 1} is not readable: it needs "source" and "target" node ids as strings; got ${formatValue(raw)}. It is left out.`));
      return;
    }
    edges.push(raw as GraphEdge);
  });
  return { ok: true, doc, nodes, edges, diagnostics };
}

function expected(issue: z.core.$ZodIssue): string {
  const e = (issue as { expected?: string }).expected;
  if (e === 'record') return 'an object';
  return e ? `a${/^[aeiou]/.test(e) ? 'n' : ''} ${e}` : 'valid';
}
