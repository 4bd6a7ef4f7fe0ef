/**
 * The registry promise: a layer type is one module. For every module in `LAYERS`, from nothing
 * but its declared `example`, the command line must summarise the graph, carry it through a
 * share link, export a tfjs `model.json` that tfjs itself loads with the compiled parameter
 * count and output shape, import that file back to the same graph, and export Keras Python that
 * builds the layer. The same must hold for a module copied from another and listed, with no other
 * change: that check copies the project, adds such a module (as a newcomer would) and runs the
 * real command line in the copy.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { run } from '@/cli/layerboard';
import { compile, LAYERS, registerCustomLayers, type AnyLayerSpec, type GraphDocument } from '@/graph-compiler';

tf.env().set('PROD', true);
registerCustomLayers(tf);

const root = path.join(__dirname, '..', '..');

/** Inputs of the example's shapes feeding one node of the layer (or the Input alone). */
function exampleDoc(spec: AnyLayerSpec): GraphDocument {
  const { params, inputs } = spec.example;
  if (inputs.length === 0) {
    return { format: 'layerboard.graph', version: 1, name: `example ${spec.type}`, nodes: [{ id: 'x', type: spec.type, params }], edges: [] };
  }
  const feeders = inputs.map((shape, i) => ({ id: `in${i + 1}`, type: 'Input', params: { shape } }));
  return {
    format: 'layerboard.graph',
    version: 1,
    name: `example ${spec.type}`,
    nodes: [...feeders, { id: 'x', type: spec.type, params }],
    edges: feeders.map((f) => ({ source: f.id, target: 'x' })),
  };
}

const stdinOf = (text: string) => () => text;

/** The graph as the compiler sees it: types, validated params (defaults filled) and wiring. */
function meaning(doc: GraphDocument) {
  const r = compile(structuredClone(doc));
  return {
    nodes: r.order.map((id) => ({ type: r.nodes[id].type, params: r.nodes[id].params, inputs: r.nodes[id].inputIds.length })),
    totals: r.totals.totalParams,
  };
}

/** The five commands a user runs on a graph, each checked against its reference. */
async function checkEverywhere(doc: GraphDocument, type: string, cli: (argv: string[], stdin: string) => { stdout: string; stderr: string; code: number }) {
  const json = JSON.stringify(doc);
  const result = compile(structuredClone(doc));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

  const summary = cli(['summary', '-'], json);
  expect(summary.stderr).toBe('');
  expect(summary.code).toBe(0);
  expect(summary.stdout).toContain(`(${type})`);

  const link = cli(['link', '-'], json);
  expect(link.code).toBe(0);
  const opened = cli(['open', link.stdout.trim()], '');
  expect(opened.code).toBe(0);
  // A link leaves out params that equal their defaults: the same graph, maybe fewer words.
  expect(meaning(JSON.parse(opened.stdout))).toEqual(meaning(doc));

  const exported = cli(['export', 'tfjs', '-'], json);
  expect(exported.stderr).toBe('');
  expect(exported.code).toBe(0);
  const modelJson = JSON.parse(exported.stdout);
  const model = await tf.models.modelFromJSON(modelJson);
  try {
    expect(model.countParams()).toBe(result.totals.totalParams);
    const out = result.nodes.x.outputShape;
    expect(model.outputs[0].shape.slice(1)).toEqual(out);
    const ys = tf.tidy(() => {
      const y = model.predict(model.inputs.map((i) => tf.zeros([2, ...(i.shape.slice(1) as number[])])));
      return (Array.isArray(y) ? y[0] : y).shape.slice(1);
    });
    expect(ys).toEqual(out);
  } finally {
    model.dispose();
  }

  const imported = cli(['import', '-'], exported.stdout);
  expect(imported.code).toBe(0);
  expect(meaning(JSON.parse(imported.stdout))).toEqual(meaning(doc));

  const keras = cli(['export', 'keras', '-'], json);
  expect(keras.code).toBe(0);
  return { keras: keras.stdout, modelJson };
}

const inProcess = (argv: string[], stdin: string) => run(argv, stdinOf(stdin));

describe('every layer module works everywhere from its declared example', () => {
  test('every type has an example', () => {
    for (const spec of LAYERS) expect([spec.type, spec.example]).toEqual([spec.type, expect.objectContaining({ params: expect.any(Object) })]);
  });

  test.each(LAYERS.map((s) => [s.type, s] as const))('%s', async (type, spec) => {
    const doc = exampleDoc(spec);
    const { keras } = await checkEverywhere(doc, type, inProcess);
    const call = spec.toKeras(compile(structuredClone(doc)).nodes.x.params!);
    expect(keras).toContain(`${call.cls}(`);
    // A class Keras does not have is written out in the script.
    for (const cls of Object.keys(spec.kerasClasses ?? {})) {
      if (keras.includes(`${cls}(`)) expect(keras).toMatch(new RegExp(`^class ${cls}\\(`, 'm'));
    }
  });
});

/**
 * A project copy: tracked files as they are in the working tree (symlinked dependencies), so the
 * copy runs exactly the code under test.
 */
function projectCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layerboard-copy-'));
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const f of files) {
    if (f.startsWith('__tests__/') || f.startsWith('public/')) continue;
    try {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      cpSync(path.join(root, f), path.join(dir, f));
    } catch {
      // A file deleted in the working tree but still tracked.
    }
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('a module copied from another and listed, with no other change', () => {
  let dir: string;
  beforeAll(() => {
    dir = projectCopy();
    // What a newcomer does: copy dropout.ts as GaussianDropout (tfjs-layers has that class,
    // with the same `rate` param), and list it.
    const layers = path.join(dir, 'graph-compiler', 'layers');
    const source = readFileSync(path.join(layers, 'dropout.ts'), 'utf8')
      .replace(/Dropout/g, 'GaussianDropout')
      .replace(/\bdropout\b/g, 'gaussianDropout');
    writeFileSync(path.join(layers, 'gaussian-dropout.ts'), source);
    const index = readFileSync(path.join(layers, 'index.ts'), 'utf8')
      .replace("import { dropout } from './dropout';", "import { dropout } from './dropout';\nimport { gaussianDropout } from './gaussian-dropout';")
      .replace(/dropout,/, 'dropout, gaussianDropout,');
    expect(index).toContain('gaussianDropout,');
    writeFileSync(path.join(layers, 'index.ts'), index);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('summary, link/open, export tfjs (loaded by tfjs), import and export keras all know the new type', async () => {
    const cli = (argv: string[], stdin: string) => {
      const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'cli/layerboard.ts', ...argv], {
        cwd: dir, input: stdin, encoding: 'utf8', timeout: 60_000,
      });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
    };
    const doc: GraphDocument = {
      format: 'layerboard.graph', version: 1, name: 'copied',
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [6] } },
        { id: 'x', type: 'GaussianDropout', params: { rate: 0.3 } },
        { id: 'out', type: 'Dense', params: { units: 2, activation: 'softmax' } },
      ],
      edges: [{ source: 'in', target: 'x' }, { source: 'x', target: 'out' }],
    };
    const x = { ...doc, nodes: doc.nodes.slice(0, 2), edges: doc.edges.slice(0, 1) };
    const cliMeaning = (d: unknown) => JSON.parse(cli(['summary', '--json', '-'], JSON.stringify(d)).stdout);

    const summary = cli(['summary', '-'], JSON.stringify(doc));
    expect(summary.stderr).toBe('');
    expect(summary.stdout).toContain('x (GaussianDropout)');
    const link = cli(['link', '-'], JSON.stringify(doc));
    expect(JSON.parse(cli(['open', link.stdout.trim()], '').stdout)).toEqual(doc);
    const exported = cli(['export', 'tfjs', '-'], JSON.stringify(x));
    expect(exported.stderr).toBe('');
    const modelJson = JSON.parse(exported.stdout);
    expect(modelJson.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'GaussianDropout']);
    // tfjs-layers' own GaussianDropout loads it.
    const model = await tf.models.modelFromJSON(modelJson);
    expect(model.layers[1].getClassName()).toBe('GaussianDropout');
    expect((model.layers[1].getConfig() as { rate: number }).rate).toBe(0.3);
    model.dispose();
    const imported = JSON.parse(cli(['import', '-'], exported.stdout).stdout);
    expect(imported.nodes.map((n: { type: string; params: unknown }) => [n.type, n.params])).toEqual([['Input', { shape: [6] }], ['GaussianDropout', { rate: 0.3 }]]);
    expect(cliMeaning(imported).totals).toEqual(cliMeaning(x).totals);
    const keras = cli(['export', 'keras', '-'], JSON.stringify(doc));
    expect(keras.stdout).toMatch(/layers\.GaussianDropout\(0\.3, name="x"\)/);
  }, 180_000);
});
