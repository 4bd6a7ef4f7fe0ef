/**
 * Pass 2, validate params: looks up each node's layer spec, checks every param against its
 * declaration (zod), fills in defaults and reports unknown types and params. Results are cached
 * by the identity of a node's params object, so that the editor, which replaces only the
 * params it edits, re-validates only the nodes that changed.
 */
import { closest, diag } from '../diagnostics';
import type { AnyLayerSpec } from '../layer-spec';
import { LAYERS, layerByType } from '../layers';
import { checkParam, formatValue, type ParamDecls } from '../params';
import type { Diagnostic, GraphNode } from '../types';
import { clip, MAX_UNKNOWN_PER_OBJECT } from './limits';

export interface ValidatedNode {
  node: GraphNode;
  name: string;
  spec: AnyLayerSpec | undefined;
  /** Params with defaults, or null when one is missing or invalid. */
  params: Record<string, unknown> | null;
  diagnostics: Diagnostic[];
}

const KNOWN_TYPES = LAYERS.map((l) => l.type);
const DECLS = new Map(LAYERS.map((l) => [l, Object.entries(l.params as ParamDecls)]));
const cache = new WeakMap<object, { type: string; id: string; name: string; result: Omit<ValidatedNode, 'node'> }>();

/** `Conv2D "conv1"`: how messages name a node. */
export function nodeTitle(type: string, name: string): string {
  return `${clip(type)} "${clip(name)}"`;
}

export function validateNode(node: GraphNode): ValidatedNode {
  const name = node.label || node.id;
  const hit = cache.get(node.params);
  if (hit && hit.type === node.type && hit.id === node.id && hit.name === name) {
    const r = hit.result;
    return { node, name: r.name, spec: r.spec, params: r.params, diagnostics: r.diagnostics };
  }

  const spec = layerByType(node.type);
  const diagnostics: Diagnostic[] = [];
  let params: Record<string, unknown> | null = null;
  if (!spec) {
    const hint = closest(node.type, KNOWN_TYPES);
    diagnostics.push(diag('unknown-type',
      `"${clip(name)}" has the unknown layer type "${clip(node.type)}"${hint ? `; did you mean "${hint}"?` : `. Known types: ${KNOWN_TYPES.join(', ')}.`}`, node.id));
  } else {
    params = {};
    const title = () => nodeTitle(spec.type, name);
    for (const [key, decl] of DECLS.get(spec)!) {
      const raw = node.params[key];
      if (raw === undefined || raw === null) {
        if (decl.required) {
          diagnostics.push(diag('param-missing', `${title()}: ${key} is required: ${decl.help.charAt(0).toLowerCase()}${decl.help.slice(1)}.`, node.id, key));
          params = null;
        } else if (params) params[key] = decl.default;
        continue;
      }
      // The hand-written fast path first (no result object); zod for everything else.
      const quick = decl.fast?.(raw);
      if (quick !== undefined) {
        if (params) params[key] = quick;
        continue;
      }
      const r = checkParam(decl, raw);
      if (!r.ok) {
        diagnostics.push(diag('param-invalid', `${title()}: ${key} must be ${decl.describe}; got ${formatValue(raw)}.`, node.id, key));
        params = null;
      } else if (params) params[key] = r.value;
    }
    let unknown = 0;
    for (const key in node.params) {
      if (Object.hasOwn(spec.params, key)) continue;
      if (++unknown > MAX_UNKNOWN_PER_OBJECT) continue;
      const declared = Object.keys(spec.params);
      const hint = closest(key, declared);
      diagnostics.push(diag('unknown-param',
        `${title()}: unknown param "${clip(key)}" is kept but ignored${hint ? `; did you mean "${hint}"?` : ` (${spec.type} takes ${declared.length ? declared.join(', ') : 'no params'}).`}`,
        node.id, key));
    }
    if (unknown > MAX_UNKNOWN_PER_OBJECT) {
      diagnostics.push(diag('unknown-param', `${title()}: ${unknown - MAX_UNKNOWN_PER_OBJECT} more unknown params are kept but ignored.`, node.id));
    }
  }
  const result = { name, spec, params, diagnostics };
  cache.set(node.params, { type: node.type, id: node.id, name, result });
  return { node, ...result };
}
