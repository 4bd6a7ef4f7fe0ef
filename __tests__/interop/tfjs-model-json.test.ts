/**
 * tfjs model.json export and import, with tfjs itself as the judge: every fixture and template
 * exports to a topology that tfjs loads with the compiler's parameter count; importing it gives
 * the same shapes and counts back; a trained model's weights load with tf.loadLayersModel over
 * HTTP; hand-written Keras 2 and Keras 3 converter outputs import.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compile, registerCustomLayers, toTfjsModel, type GraphDocument } from '@/graph-compiler';
import { fromModelJson, saveTfjsModel, toModelJson, toModelTopology } from '@/graph-compiler/interop';
import { allDocuments, fixtureDoc } from '../share/design';

tf.env().set('PROD', true);
registerCustomLayers(tf);

const ROOT = path.join(__dirname, '..', '..');
const modelJsonFixture = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'model-json', `${name}.json`), 'utf8'));

const exportable = allDocuments().filter(([, doc]) => compile(doc).ok);

/** Output shapes of a tfjs model's layers by name, without the batch axis. */
function tfjsShapes(model: tf.LayersModel): Map<string, (number | null)[]> {
  return new Map(model.layers.map((l) => [l.name, (l.outputShape as (number | null)[]).slice(1)]));
}

/** tfjs's count and shapes for a model.json: in this process, or in a child for large models. */
async function judge(json: { modelTopology: unknown }, large: boolean): Promise<{ params: number; shapes: Map<string, (number | null)[]> }> {
  if (large) {
    const child = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'tfjs-judge.ts')], {
      input: JSON.stringify(json), encoding: 'utf8', maxBuffer: 1 << 26,
    });
    if (child.status !== 0) throw new Error(child.stderr);
    const out = JSON.parse(child.stdout) as { params: number; shapes: Record<string, (number | null)[]> };
    return { params: out.params, shapes: new Map(Object.entries(out.shapes)) };
  }
  const model = await tf.models.modelFromJSON(json.modelTopology as never);
  const out = { params: model.countParams(), shapes: tfjsShapes(model) };
  model.dispose();
  return out;
}

describe('export: tfjs loads the model.json with the compiler’s figures', () => {
  test.each(exportable)('%s', async (_name, doc) => {
    const result = compile(doc);
    const json = JSON.parse(JSON.stringify(toModelJson(result, doc.name)));
    expect(json.format).toBe('layers-model');
    const { params, shapes } = await judge(json, result.totals.totalParams > 5_000_000);
    expect(params).toBe(result.totals.totalParams);
    for (const id of result.order) {
      const tfShape = shapes.get(id);
      const ours = result.nodes[id].outputShape!;
      // tfjs leaves a Reshape's -1 axis unknown (null) in symbolic shapes.
      expect([id, tfShape?.map((d, i) => d ?? ours[i])]).toEqual([id, ours]);
    }
  }, 60_000);
});

test('the topology is what tfjs-layers writes itself, less two tfjs serialisation bugs', async () => {
  const docs = exportable.filter(([, d]) => compile(d).totals.totalParams < 5_000_000);
  expect(docs.length).toBeGreaterThan(5);
  for (const [, doc] of docs) {
    const result = compile(doc);
    const ours = JSON.parse(JSON.stringify(toModelTopology(result, 'm')));
    const model = await toTfjsModel(tf, compile(structuredClone(doc)), 'm');
    const theirs = model.toJSON(null, false) as { config: { layers: Record<string, unknown>[] } };
    model.dispose();
    const byName = (layers: Record<string, unknown>[]) => new Map(layers.map((l) => [l.name as string, l]));
    const a = byName(ours.config.layers);
    const b = byName(theirs.config.layers);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, layer] of b) {
      const config = { ...(layer.config as Record<string, unknown>) };
      // tfjs writes the depthwise regularizer as the constraint too, and drops depth_multiplier
      // from SeparableConv2D; the topology writes what Keras writes.
      if (layer.class_name === 'DepthwiseConv2D') config.depthwise_constraint = null;
      if (layer.class_name === 'SeparableConv2D') config.depth_multiplier = (a.get(name)!.config as Record<string, unknown>).depth_multiplier;
      expect([name, a.get(name)]).toEqual([name, { ...layer, config }]);
    }
  }
});

/** Validated params with a pooling layer's strides spelled out (absent means the pool size). */
function effective(p: Record<string, unknown> | null | undefined) {
  return p && 'poolSize' in p ? { ...p, strides: p.strides ?? p.poolSize } : p;
}

describe('export → import gives the same shapes and counts', () => {
  test.each(exportable)('%s', (_name, doc) => {
    const result = compile(doc);
    const imported = fromModelJson(JSON.parse(JSON.stringify(toModelJson(result, doc.name))));
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    const back = compile(imported.doc);
    expect(back.ok).toBe(true);
    expect(back.totals).toEqual(result.totals);
    expect(imported.doc.nodes.map((n) => n.type)).toEqual(result.order.map((id) => result.nodes[id].type));
    for (const id of result.order) {
      expect([id, back.nodes[id]?.outputShape]).toEqual([id, result.nodes[id].outputShape]);
      expect([id, effective(back.nodes[id]?.params)]).toEqual([id, effective(result.nodes[id].params)]);
      expect([id, back.nodes[id]?.inputIds]).toEqual([id, result.nodes[id].inputIds]);
    }
  });
});

test('step and leakyRelu split off on export are joined again on import', () => {
  const doc = fixtureDoc('custom-activations');
  const result = compile(doc);
  const json = toModelJson(result);
  const names = json.modelTopology.config.layers.map((l) => l.class_name);
  expect(names.some((n) => n === 'Step' || n === 'LeakyReLU')).toBe(true);
  const imported = fromModelJson(json);
  expect(imported.ok && imported.doc.nodes.map((n) => n.id)).toEqual(result.order);
});

describe('trained weights', () => {
  let server: http.Server;
  let files: Record<string, Buffer> = {};
  let base = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = files[(req.url ?? '').slice(1)];
      res.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Node's fetch parses JSON in the host realm, whose arrays fail tfjs's `instanceof Array` inside
  // jest's sandbox; re-parse here so the test sees what a browser would.
  const fetchFunc = async (url: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(url, init);
    const bytes = new Uint8Array(await res.arrayBuffer()).slice();
    return {
      ok: res.ok, status: res.status, url: res.url,
      json: async () => JSON.parse(new TextDecoder().decode(bytes)),
      arrayBuffer: async () => bytes.buffer,
    } as unknown as Response;
  };

  test('model.json + weights.bin load with tf.loadLayersModel and predict the same', async () => {
    const doc = fixtureDoc('resnet-block');
    const result = compile(doc);
    const model = await toTfjsModel(tf, result);
    const input = tf.randomNormal([2, ...result.nodes[result.inputs[0]].outputShape!], 0, 1, 'float32', 7);
    const before = model.predict(input) as tf.Tensor;
    const { modelJson, weights } = await saveTfjsModel(tf, model, result, doc.name, 'resnet-block.weights.bin');
    expect(modelJson.weightsManifest![0].paths).toEqual(['resnet-block.weights.bin']);
    expect(weights.byteLength).toBe(4 * result.totals.totalParams);
    files = { 'model.json': Buffer.from(JSON.stringify(modelJson)), 'resnet-block.weights.bin': Buffer.from(weights) };

    const loaded = await tf.loadLayersModel(`${base}/model.json`, { fetchFunc });
    expect(loaded.countParams()).toBe(result.totals.totalParams);
    const after = loaded.predict(input) as tf.Tensor;
    expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
    tf.dispose([input, before, after]);
    model.dispose();
    loaded.dispose();
  });

  test('a topology-only model.json loads too (fresh weights)', async () => {
    const result = compile(fixtureDoc('lenet5'));
    files = { 'model.json': Buffer.from(JSON.stringify(toModelJson(result))) };
    const loaded = await tf.loadLayersModel(`${base}/model.json`, { fetchFunc });
    expect(loaded.countParams()).toBe(61_706);
    loaded.dispose();
  });
});

describe('Keras models converted with tensorflowjs_converter', () => {
  test('Keras 2 Sequential (mnist_convnet): 34,826 params, as tfjs counts it', async () => {
    const json = modelJsonFixture('keras2-sequential-mnist-convnet');
    const imported = fromModelJson(json);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    expect(imported.doc.name).toBe('sequential');
    expect(imported.doc.nodes.map((n) => [n.id, n.type])).toEqual([
      ['input_1', 'Input'], ['conv2d', 'Conv2D'], ['max_pooling2d', 'MaxPooling2D'], ['conv2d_1', 'Conv2D'],
      ['max_pooling2d_1', 'MaxPooling2D'], ['flatten', 'Flatten'], ['dropout', 'Dropout'], ['dense', 'Dense'],
    ]);
    expect(imported.doc.nodes[1].params).toEqual({ filters: 32, kernelSize: 3, activation: 'relu' });
    const result = compile(imported.doc);
    expect(result.ok).toBe(true);
    expect(result.totals.totalParams).toBe(34_826);
    const model = await tf.models.modelFromJSON(json.modelTopology.model_config);
    expect(model.countParams()).toBe(result.totals.totalParams);
    const shapes = tfjsShapes(model);
    for (const id of result.order.filter((i) => i !== 'input_1')) expect([id, shapes.get(id)]).toEqual([id, result.nodes[id].outputShape]);
    model.dispose();
  });

  test('Keras 3 functional with Add, ReLU layer and an L2 regularizer', () => {
    const imported = fromModelJson(modelJsonFixture('keras3-functional-small-resnet'));
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.messages).toEqual([]);
    const { doc } = imported;
    expect(doc.name).toBe('small_resnet');
    expect(doc.edges.filter((e) => e.target === 'add').map((e) => e.source)).toEqual(['re_lu', 'batch_normalization_1']);
    expect(doc.nodes.find((n) => n.id === 'conv2d')!.params).toEqual({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, l2: 0.0001 });
    expect(doc.nodes.find((n) => n.id === 're_lu')!.params).toEqual({ activation: 'relu' });
    const result = compile(doc);
    expect(result.ok).toBe(true);
    // The same network built with tfjs-layers directly.
    const x = tf.input({ shape: [32, 32, 3] });
    const a = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(x))) as tf.SymbolicTensor;
    const b = tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(a)) as tf.SymbolicTensor;
    const y = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(tf.layers.activation({ activation: 'relu' }).apply(tf.layers.add().apply([a, b])))) as tf.SymbolicTensor;
    const reference = tf.model({ inputs: x, outputs: y });
    expect(result.totals.totalParams).toBe(reference.countParams());
    expect(result.totals).toMatchObject({ totalParams: 3_034, nonTrainableParams: 64 });
    reference.dispose();
  });

  test('unsupported layers get one message each, naming the layer and its class; the rest is kept connected', () => {
    const json = modelJsonFixture('keras3-functional-small-resnet');
    const layers = json.modelTopology.model_config.config.layers;
    layers[3].class_name = 'PReLU';
    layers[8].class_name = 'GlobalAveragePooling1D';
    const imported = fromModelJson(json);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.leftOut).toEqual(['re_lu', 'global_average_pooling2d']);
    expect(imported.messages).toEqual([
      'Layer "re_lu" (PReLU) is not supported: Layerboard has no such layer. It is left out, and the layers after it take its input "batch_normalization" instead.',
      'Layer "global_average_pooling2d" (GlobalAveragePooling1D) is not supported: Layerboard has no such layer. It is left out, and the layers after it take its input "activation" instead.',
    ]);
    expect(imported.doc.edges).toContainEqual({ source: 'batch_normalization', target: 'conv2d_1' });
    expect(imported.doc.edges).toContainEqual({ source: 'activation', target: 'dense' });
  });

  test('a Keras 3 Sequential with build_input_shape and layer variants', () => {
    const imported = fromModelJson({
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: {
        name: 'seq', build_input_shape: [null, 8],
        layers: [
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'd1', units: 4, activation: 'leaky_relu' } },
          { module: 'keras.layers', class_name: 'LeakyReLU', config: { name: 'lr', negative_slope: 0.2 } },
          { module: 'keras.layers', class_name: 'ReLU', config: { name: 'r6', max_value: 6 } },
          { module: 'keras.layers', class_name: 'Softmax', config: { name: 'sm', axis: -1 } },
        ],
      },
    });
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.doc.nodes).toEqual([
      { id: 'input', type: 'Input', params: { shape: [8] } },
      { id: 'd1', type: 'Dense', params: { units: 4, activation: 'leakyRelu' } },
      { id: 'lr', type: 'Activation', params: { activation: 'leakyRelu', alpha: 0.2 } },
      { id: 'r6', type: 'Activation', params: { activation: 'relu6' } },
      { id: 'sm', type: 'Activation', params: { activation: 'softmax' } },
    ]);
    expect(compile(imported.doc).ok).toBe(true);
  });

  test.each([
    [{ format: 'graph-model', modelTopology: { node: [] } }, /graph model/],
    [{ format: 'layerboard.graph', version: 1, nodes: [], edges: [] }, /Layerboard graph document/],
    [{ hello: 1 }, /no model topology found/],
    [[1, 2], /expected a JSON object/],
    [{ modelTopology: { class_name: 'Sequential', config: { layers: [] } } }, /has no layers/],
  ])('not importable: %j', (value, message) => {
    const r = fromModelJson(value);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

test('tfjs’s own model.save() output imports (Keras 2 list-form inbound_nodes)', async () => {
  const doc: GraphDocument = fixtureDoc('resnet-block');
  const model = await toTfjsModel(tf, compile(doc));
  let topology: unknown;
  await model.save(tf.io.withSaveHandler(async (a) => {
    topology = a.modelTopology;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const imported = fromModelJson({ format: 'layers-model', modelTopology: topology });
  expect(imported.ok && compile(imported.doc).totals).toEqual(compile(doc).totals);
  model.dispose();
});
