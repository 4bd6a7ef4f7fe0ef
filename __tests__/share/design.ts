/**
 * Test helpers for the share tests: the documents to round-trip (every fixture and every
 * template) and "the same design" as the share-link issue defines it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile, type GraphDocument } from '@/graph-compiler';
import { TEMPLATES } from '@/lib/templates';
import { POSITION_GRID } from '@/lib/share/compact';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Every graph document fixture and every template, by name. */
export function allDocuments(): [string, GraphDocument][] {
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, unknown] => [`fixture ${f}`, JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8'))])
    .filter((entry): entry is [string, GraphDocument] => (entry[1] as { format?: unknown }).format === 'layerboard.graph');
  const templates = TEMPLATES.map((t): [string, GraphDocument] => [`template ${t.id}`, t.doc]);
  return [...fixtures, ...templates];
}

export function fixtureDoc(name: string): GraphDocument {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

const pick = (o: object, omit: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !omit.includes(k)));

/**
 * Asserts that `b` is the same design as `a`: node types, validated params (defaults filled
 * in), labels, positions within half a grid step, edges in order, name, training block and
 * every unknown key; and that both compile to the same shapes, counts and diagnostic codes.
 * Node ids may differ only where `a` had a generated id (matched by position in the list).
 */
export function expectSameDesign(a: GraphDocument, b: GraphDocument): void {
  expect(b.nodes).toHaveLength(a.nodes.length);
  const idMap = new Map(a.nodes.map((n, i) => [n.id, b.nodes[i].id]));
  expect(pick(b, ['nodes', 'edges'])).toEqual(pick(a, ['nodes', 'edges']));

  const ra = compile(a);
  const rb = compile(b);
  a.nodes.forEach((na, i) => {
    const nb = b.nodes[i];
    expect([i, nb.type]).toEqual([i, na.type]);
    expect([i, nb.label]).toEqual([i, na.label]);
    expect([i, pick(nb, ['id', 'type', 'params', 'position', 'label'])]).toEqual([i, pick(na, ['id', 'type', 'params', 'position', 'label'])]);
    const pa = ra.nodes[na.id];
    const pb = rb.nodes[nb.id];
    if (pa) {
      expect([na.id, pb.params ?? na.params]).toEqual([na.id, pa.params ?? na.params]);
      expect([na.id, pb.outputShape]).toEqual([na.id, pa.outputShape]);
      expect([na.id, pb.paramCount]).toEqual([na.id, pa.paramCount]);
    }
    const unknownA = Object.fromEntries(Object.entries(na.params ?? {}).filter(([k]) => !(pa?.params && k in pa.params)));
    const unknownB = Object.fromEntries(Object.entries(nb.params ?? {}).filter(([k]) => !(pb?.params && k in pb.params)));
    if (pa?.params) expect([na.id, unknownB]).toEqual([na.id, unknownA]);
    if (na.position) {
      expect(nb.position).toBeDefined();
      expect(Math.abs(nb.position!.x - na.position.x)).toBeLessThanOrEqual(POSITION_GRID / 2);
      expect(Math.abs(nb.position!.y - na.position.y)).toBeLessThanOrEqual(POSITION_GRID / 2);
    } else expect(nb.position).toBeUndefined();
  });
  expect(b.edges.map((e) => ({ ...e, source: e.source, target: e.target })))
    .toEqual(a.edges.map((e) => ({ ...e, source: idMap.get(e.source) ?? e.source, target: idMap.get(e.target) ?? e.target })));
  expect(rb.totals).toEqual(ra.totals);
  expect(rb.ok).toBe(ra.ok);
  expect(rb.diagnostics.map((d) => d.code).sort()).toEqual(ra.diagnostics.map((d) => d.code).sort());
}
