/**
 * Injection fuzz of every Python-producing export the command line registers (`EXPORT_FORMATS`;
 * a format is Python when its output for a plain document is not JSON and Python parses it, so
 * a new exporter is covered the day it is registered). The document's name, a node's id and
 * label, the CSV label column and the other data-set fields get hostile text: quotes,
 * backslashes, newlines, `"""`, NUL, U+2028/2029, bidirectional overrides, `{}` and random
 * mixes of them. Python's own parser (`ast`, /usr/bin/python3, all cases of a format in one
 * launch) must find exactly the syntax tree of the plain document (the same node types in the
 * same order: no statement, call or expression added), the docstring must carry the name as
 * given, and every other string constant must be the plain one with the marker replaced by the
 * hostile text (as given, or as the identifier-safe name the exporter makes of it). An id that
 * is a name the script uses (`keras`, `np`, `print`, ...) must not become a variable hiding it.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { EXPORT_FORMATS } from '@/cli/layerboard';
import { DATASET_SPECS } from '@/graph-compiler/datasets';
import { tfjsName, type GraphDocument } from '@/graph-compiler';
import { describeWithPython, PYTHON } from '../datasets/python-reference';

const FIXED = [
  'x"""\nimport os; os.system("echo INJECTED")\n"""',
  "'''\nimport os\n'''",
  'a\\', '\\"', '"', "'", '\\\\n', '\n', '\r\n', '\u0000', '\u2028', '\u2029', '\u0085', '\u000b\u000c',
  '{}', '{0}{x}', '%s%d', '${x}', '\u202eevil\u202c', '\u2066iso\u2069', '\u200b', '\ufeff', '😀', '\ud800', '#', '# \nx = 1',
  ')\nimport os\n(', '"]\nimport os\nx = ["', "');import os;('",
  // Names the scripts themselves use: an id must never become a variable that hides one.
  'keras', 'layers', 'tf', 'np', 'os', 'None', 'print', 'input', 'SETTINGS', 'INPUT_SHAPE', 'LABEL_COLUMN', 'build_model',
  'x_train', 'in_', '__import__', 'torch', 'nn', 'self', 'forward', 'Model', '1x', 'class',
];

const UNITS = ['a', 'b', ' ', '"', "'", '\\', '\n', '\r', '"""', "'''", '\u0000', '\u2028', '\u2029', '{', '}', '#', '(', ')', ';', '\u202e', 'é', '😀', 'import os', '\t'];
const RANDOM = fc.sample(fc.string({ unit: fc.constantFrom(...UNITS), minLength: 1, maxLength: 12 }), { numRuns: 150, seed: 12 })
  .filter((h) => !FIXED.includes(h));

const MARK = { name: 'PLAINNAME', id: 'nPLAINID', label: 'PLAINLABEL', column: 'PLAINCOL' };

function doc(dataset: string, s: typeof MARK): GraphDocument {
  return {
    format: 'layerboard.graph', version: 1, name: s.name,
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [4] }, label: s.label },
      { id: s.id, type: 'Dense', params: { units: 2, activation: 'softmax' }, label: s.label },
    ],
    edges: [{ source: 'in', target: s.id }],
    training: { dataset, labelColumn: s.column, ...(dataset === 'csv' ? { task: 'classification' } : {}) },
  };
}

const hostileMarks = (h: string) => ({ name: h, id: h === '' || h === 'in' ? `n${h}` : h, label: h, column: h });

interface Parsed { error?: string; types: string[]; docstring: string | null; strings: string[]; shadows: string[]; assigned: string[]; read: string[] }

/** Every source's syntax tree (node types in walk order), docstring and string constants, in one launch. */
function parseAll(sources: string[]): Parsed[] {
  const script = `
import ast, builtins, json, sys
BUILTINS = set(dir(builtins))
def bound(tree):
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store): out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)): out.add(n.name)
        elif isinstance(n, ast.arg): out.add(n.arg)
        elif isinstance(n, ast.alias): out.add((n.asname or n.name).split(".")[0])
    return out
out = []
for src in json.load(sys.stdin):
    try:
        tree = ast.parse(src)
    except Exception as e:
        out.append({"error": repr(e), "types": [], "docstring": None, "strings": [], "shadows": [], "assigned": [], "read": []})
        continue
    nodes = list(ast.walk(tree))
    out.append({
        "types": [type(n).__name__ for n in nodes],
        "docstring": ast.get_docstring(tree, clean=False),
        "strings": [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)],
        "shadows": sorted(bound(tree) & BUILTINS),
        "assigned": sorted(bound(tree)),
        "read": sorted({n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} | {n.value.id for n in nodes if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}),
    })
json.dump(out, sys.stdout, ensure_ascii=True)
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const exportWith = (format: string, d: GraphDocument) => EXPORT_FORMATS[format](['-'], () => JSON.stringify(d));

/** The formats whose output for a plain document is a Python module. */
function pythonFormats(): string[] {
  const plain = Object.keys(EXPORT_FORMATS).map((f) => ({ f, out: exportWith(f, doc('csv', MARK)) }))
    .filter(({ out }) => {
      if (out.code !== 0) return false;
      try {
        JSON.parse(out.stdout);
        return false;
      } catch {
        return true;
      }
    });
  const parsed = parseAll(plain.map((p) => p.out.stdout));
  return plain.filter((_, i) => !parsed[i].error).map((p) => p.f);
}

describeWithPython('Python exports: hostile names, ids, labels and data-set fields stay data', () => {
  const formats = pythonFormats();

  test('the Keras script is among the Python exports checked', () => {
    expect(formats).toContain('keras');
  });

  describe.each(formats.map((f) => [f]))('%s', (format) => {
    test(`${FIXED.length} hostile texts × ${DATASET_SPECS.length} data sets, and ${RANDOM.length} random ones with the CSV label column: the same syntax tree, strings equal to the input`, () => {
      const cases = DATASET_SPECS.flatMap((ds) => [
        { ds: ds.id, h: null as string | null },
        ...[...FIXED, ...(ds.id === 'csv' ? RANDOM : [])].map((h) => ({ ds: ds.id, h })),
      ]);
      const outputs = cases.map((c) => exportWith(format, doc(c.ds, c.h === null ? MARK : hostileMarks(c.h))));
      const refused = outputs.filter((o) => o.code !== 0);
      expect(refused.map((o) => o.stderr).slice(0, 3)).toEqual([]);
      const parsed = parseAll(outputs.map((o) => o.stdout));

      const problems: string[] = [];
      let plain: Parsed | null = null;
      cases.forEach((c, i) => {
        const p = parsed[i];
        if (c.h === null) {
          plain = p;
          return;
        }
        const base = plain!;
        const where = `${c.ds} ${JSON.stringify(c.h)}`;
        if (p.error) return void problems.push(`${where}: does not parse: ${p.error}`);
        if (p.types.join() !== base.types.join()) return void problems.push(`${where}: the syntax tree differs from the plain document's`);
        if (p.shadows.join() !== base.shadows.join()) problems.push(`${where}: a variable hides the builtin ${p.shadows.filter((x) => !base.shadows.includes(x))}`);
        const added = p.assigned.filter((x) => !base.assigned.includes(x));
        const hides = added.filter((x) => base.read.includes(x) || base.assigned.includes(x));
        if (hides.length) problems.push(`${where}: a new variable hides a name the script uses: ${hides}`);
        const at = base.docstring?.indexOf(MARK.name) ?? -1;
        if (at >= 0 && !p.docstring!.startsWith(base.docstring!.slice(0, at) + c.h)) problems.push(`${where}: the docstring does not carry the name as given`);
        const h = hostileMarks(c.h);
        const asGiven = (s: string) => s.replaceAll(MARK.id, h.id).replaceAll(MARK.name, h.name).replaceAll(MARK.label, h.label).replaceAll(MARK.column, h.column);
        const asName = (s: string) => s.replaceAll(MARK.id, tfjsName(h.id)).replaceAll(MARK.name, tfjsName(h.name)).replaceAll(MARK.label, tfjsName(h.label)).replaceAll(MARK.column, tfjsName(h.column));
        base.strings.forEach((s, k) => {
          if (s === base.docstring) return;
          const got = p.strings[k];
          if (got !== asGiven(s) && got !== asName(s)) problems.push(`${where}: string #${k} is ${JSON.stringify(got)}, expected ${JSON.stringify(asGiven(s))}`);
        });
      });
      expect(problems.slice(0, 10)).toEqual([]);
    });
  });
});
