/**
 * The browser side of ONNX: a dropped or opened `.onnx` file becomes a checked design (a damaged
 * one a message), and the Share menu's export reads the trained weights from the files the
 * training worker saves exactly as `nodeWeights` reads them from the live model.
 */
import * as tf from '@tensorflow/tfjs';
import { compile, registerCustomLayers, toTfjsModel } from '@/graph-compiler';
import { toOnnx } from '@/graph-compiler/emit/onnx';
import { nodeWeights } from '@/graph-compiler/emit/weights';
import { saveTfjsModel } from '@/graph-compiler/interop';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import { openFileBytes } from '@/lib/share/file';
import { onnxFile, onnxRefusals, weightsFromModelFiles } from '@/lib/share/onnx-export';
import { templateById } from '@/lib/templates';

tf.env().set('PROD', true);
registerCustomLayers(tf);

const built = async (id: string) => {
  const doc = templateById(id)!.doc;
  const result = compile(doc);
  const model = await withSeededMathRandom(3, () => toTfjsModel(tf, result));
  return { doc, result, model };
};

test('the weights of a saved tfjs model give the same ONNX file as the live model\'s', async () => {
  for (const id of ['resnet-blocks', 'maxout-mlp']) {
    const { doc, result, model } = await built(id);
    const { modelJson, weights } = await saveTfjsModel(tf, model, result, doc.name, 'm.weights.bin');
    const files = { json: JSON.stringify(modelJson), weights: weights.slice().buffer };
    const fromFiles = toOnnx(result, weightsFromModelFiles(files, result), doc.name);
    const fromModel = toOnnx(result, nodeWeights(model, result), doc.name);
    if (!fromFiles.ok || !fromModel.ok) throw new Error('export failed');
    expect(Buffer.from(fromFiles.bytes).equals(Buffer.from(fromModel.bytes))).toBe(true);
    const viaShare = await onnxFile(doc, result, files);
    expect(viaShare.ok && Buffer.from(viaShare.bytes).equals(Buffer.from(fromModel.bytes))).toBe(true);
    model.dispose();
  }
});

test('an exported .onnx opens as a design with the same counts; a damaged one is a message', async () => {
  const { doc, result, model } = await built('mobilenet');
  const out = toOnnx(result, nodeWeights(model, result), doc.name);
  model.dispose();
  if (!out.ok) throw new Error('export failed');
  const opened = openFileBytes('mobilenet.onnx', out.bytes);
  if (!opened.ok) throw new Error(opened.message);
  expect(opened.kind).toBe('onnx');
  expect(opened.messages).toEqual([]);
  expect(opened.result.totals.totalParams).toBe(result.totals.totalParams);
  expect(opened.doc.name).toBe(doc.name);

  const cut = openFileBytes('cut.onnx', out.bytes.subarray(0, 1000));
  expect(cut).toEqual({ ok: false, message: expect.stringMatching(/^cut\.onnx: not JSON, and not a readable ONNX model: the data is cut short or damaged near byte \d+ of 1000\.$/) });
});

test('the Share export refuses a graph ONNX gets no form of, naming the node', () => {
  expect(onnxRefusals(compile(templateById('gru-text')!.doc))).toEqual(['GRU "gru": the ONNX export does not write recurrent layers yet.']);
  expect(onnxRefusals(compile(templateById('lenet5')!.doc))).toEqual([]);
});
