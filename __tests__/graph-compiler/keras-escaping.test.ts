/**
 * Strings a stranger's document carries (its name, node ids, a CSV label column) reach the Keras
 * script only as data: Python's own parser (`ast`, from /usr/bin/python3) must find the same
 * top-level statements as for a plain document, the docstring and string constants must read
 * back as the text given, and nothing else may appear.
 */
import { spawnSync } from 'node:child_process';
import { compile, toKeras, type GraphDocument } from '@/graph-compiler';
import { describeWithPython, PYTHON } from '../datasets/python-reference';

const HOSTILE = [
  'x"""\nimport os; os.system("echo INJECTED")\n"""',
  "a'''b\\\\\"c\\",
  'nul\u0000here\r\nand\u2028line\u2029sep',
  'Dense "d\nimport os" # refusal text with a newline',
  'rtl \u202eevil\u202c and zero\u200bwidth \ufeff',
  '{braces} %s ${x} 😀 \ud800 lone',
];

/** Top-level statement kinds, the docstring, and every string constant, as Python parses them. */
function parse(source: string): { statements: string[]; docstring: string; strings: string[] } {
  const script = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
print(json.dumps({
  "statements": [type(n).__name__ + ":" + (getattr(n, "name", "") or "") for n in tree.body],
  "docstring": ast.get_docstring(tree, clean=False),
  "strings": [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)],
}, ensure_ascii=True))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: source, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python could not parse the script: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function doc(name: string, id = 'dense'): GraphDocument {
  return {
    format: 'layerboard.graph', version: 1, name,
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [4] } },
      { id, type: 'Dense', params: { units: 2, activation: 'softmax' } },
    ],
    edges: [{ source: 'in', target: id }],
    training: { dataset: 'csv', labelColumn: name },
  };
}

const script = (d: GraphDocument) => toKeras(d, compile(structuredClone(d)));

describeWithPython('names and labels in the Keras script are data, never code', () => {
  const plain = parse(script(doc('plain')));

  test.each(HOSTILE.map((s) => [JSON.stringify(s), s] as const))('%s', (_title, hostile) => {
    const parsed = parse(script(doc(hostile, hostile)));
    expect(parsed.statements).toEqual(plain.statements);
    expect(parsed.docstring.startsWith(`${hostile}: built with Layerboard.`)).toBe(true);
    expect(parsed.strings).toContain(hostile);
  });

  test.each(HOSTILE.map((s) => [JSON.stringify(s), s] as const))('in the comment saying why the browser refuses: %s', (_title, hostile) => {
    // MNIST into a linear Dense(10): the script carries the browser's reason, naming the node.
    const refused = (id: string): GraphDocument => ({
      ...doc('refused', id),
      nodes: [{ id: 'in', type: 'Input', params: { shape: [784] } }, { id, type: 'Dense', params: { units: 10 } }],
      training: { dataset: 'mnist' },
    });
    const source = script(refused(hostile));
    expect(source).toContain('# ');
    expect(parse(source).statements).toEqual(parse(script(refused('plain'))).statements);
  });
});
