/**
 * Strings a stranger's document carries (its name, node ids and labels, a CSV label column)
 * reach the PyTorch script only as data: Python's parser (`ast`) finds exactly the syntax tree of
 * the plain document (the same node types in the same order), the docstring reads back as the
 * name given, and the label column as given. Ids that are names the script or nn.Module use
 * (`self`, `forward`, `training`, `torch`, `F`, `__init__`, ...) become other identifiers, and
 * the Model still builds and computes what tfjs computes.
 */
import { spawnSync } from 'node:child_process';
import { compile, type GraphDocument } from '@/graph-compiler';
import { toPytorch } from '@/graph-compiler/emit/pytorch';
import { describeWithTorch, PYTHON } from '../datasets/python-reference';
import { judge, maxDifference, prepare, workDir } from './torch-judge';

const HOSTILE = [
  'x"""\nimport os; os.system("echo INJECTED")\n"""',
  "a'''b\\\\\"c\\",
  'nul\u0000here\r\nand\u2028line\u2029sep',
  'Dense "d\nimport os" # a newline in a comment',
  'rtl \u202eevil\u202c and zero\u200bwidth \ufeff',
  '{braces} %s ${x} 😀 \ud800 lone',
  ')\nimport os\n(',
];

interface Parsed { types: string[]; docstring: string; strings: string[] }

/** Every source's node types (walk order), docstring and string constants, in one Python launch. */
function parseAll(sources: string[]): Parsed[] {
  const script = `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    tree = ast.parse(src)
    nodes = list(ast.walk(tree))
    out.append({"types": [type(n).__name__ for n in nodes], "docstring": ast.get_docstring(tree, clean=False),
                "strings": [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]})
print(json.dumps(out, ensure_ascii=True))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python could not parse a script: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function doc(text: string, shape: number[] = [4]): GraphDocument {
  const id = text === 'in' ? 'n_in' : text;
  return {
    format: 'layerboard.graph', version: 1, name: text,
    nodes: [
      { id: 'in', type: 'Input', params: { shape }, label: text },
      { id, type: 'BatchNormalization', params: {}, label: text },
      { id: `${id}2`, type: 'Dense', params: { units: 2, activation: 'softmax', l2: 0.01 }, label: text },
    ],
    edges: [{ source: 'in', target: id }, { source: id, target: `${id}2` }],
    training: { dataset: 'csv', labelColumn: text, task: 'classification' },
  };
}

const script = (d: GraphDocument) => toPytorch(d, compile(structuredClone(d)));

describeWithTorch('names, ids and labels in the PyTorch script are data, never code', () => {
  const sources = [script(doc('plain')), ...HOSTILE.map((h) => script(doc(h)))];
  // BatchNormalization of a rank-4 tensor has no PyTorch module: the refusal names the node.
  const refused = [script(doc('plain', [2, 2, 2, 3])), ...HOSTILE.map((h) => script(doc(h, [2, 2, 2, 3])))];
  const parsed = parseAll([...sources, ...refused]);
  const [plain, ...hostile] = parsed.slice(0, sources.length);
  const [plainRefused, ...hostileRefused] = parsed.slice(sources.length);

  test.each(HOSTILE.map((s, i) => [JSON.stringify(s), i] as const))('%s', (_title, i) => {
    const p = hostile[i];
    expect(p.types).toEqual(plain.types);
    expect(p.docstring.startsWith(`${HOSTILE[i]}: built with Layerboard, for PyTorch.`)).toBe(true);
    expect(p.strings).toContain(HOSTILE[i]);
  });

  test.each(HOSTILE.map((s, i) => [JSON.stringify(s), i] as const))('in the refusal: %s', (_title, i) => {
    const p = hostileRefused[i];
    expect(p.types).toEqual(plainRefused.types);
    expect(p.strings.some((s) => s.includes(`BatchNormalization "${HOSTILE[i]}"`) && s.includes('rank-4'))).toBe(true);
  });

  test('ids named like the script\'s and nn.Module\'s own names become other identifiers; the Model computes what tfjs does', async () => {
    const names = ['self', 'forward', 'training', 'torch', 'F', 'nn', '__init__', 'x', 'x_in', 'Model', 'state_dict', 'class', '1st', '_private', 'é'];
    const d: GraphDocument = { format: 'layerboard.graph', version: 1, nodes: [{ id: 'in', type: 'Input', params: { shape: [3] } }], edges: [] };
    let prev = 'in';
    for (const id of names) {
      d.nodes.push({ id, type: 'Dense', params: { units: 3, activation: 'tanh' } });
      d.edges.push({ source: prev, target: id });
      prev = id;
    }
    const p = await prepare(workDir('pytorch-names'), 'names', d, () => true);
    const [v] = judge([p.case]);
    expect(v.error).toBeUndefined();
    expect(v.trainable).toBe(p.result.totals.trainableParams);
    expect(maxDifference(p.expected!, v.outputs!)).toBeLessThanOrEqual(1e-4);
  }, 60_000);
});
