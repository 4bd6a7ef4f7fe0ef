/**
 * Conv2D kernel presets: the preview's pure convolution equals a hand-computed one and tfjs's
 * conv2d; a preset fixes the weights of the tfjs model (frozen: training leaves them), and the
 * Keras, PyTorch and ONNX exports carry them (PyTorch and onnxruntime evaluate them).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { compile, toKeras, toTfjsModel, type GraphDocument, type TF } from '@/graph-compiler';
import { convolve2d, KERNEL_PRESETS, PRESET_KERNELS, presetKernel, type GrayImage, type KernelPreset } from '@/graph-compiler/conv-kernels';
import { toModelTopology } from '@/graph-compiler/emit/tfjs';
import { toNpz } from '@/graph-compiler/emit/npz';
import { pytorchStateDict, toPytorch } from '@/graph-compiler/emit/pytorch';
import { nodeWeights } from '@/graph-compiler/emit/weights';
import { describeWithOnnx, describeWithTorch, PYTHON } from '../datasets/python-reference';
import { judge, workDir } from '../pytorch/torch-judge';
import { onCpuBackend } from '../tf-cpu';

const tf = tfjs as unknown as TF;
onCpuBackend(tf);

/** A 5×5 test image with a bright vertical bar and a gradient. */
const IMAGE: GrayImage = { width: 5, height: 5, data: Float32Array.from({ length: 25 }, (_, i) => ((i % 5) === 2 ? 1 : 0) + Math.floor(i / 5) * 0.1) };

function doc(params: Record<string, unknown>, shape = [5, 5, 1]): GraphDocument {
  return {
    format: 'layerboard.graph',
    version: 1,
    nodes: [
      { id: 'in', type: 'Input', params: { shape } },
      { id: 'conv', type: 'Conv2D', params: { filters: 1, kernelSize: 3, padding: 'same', ...params } },
    ],
    edges: [{ source: 'in', target: 'conv' }],
  };
}

const ROOT = path.join(__dirname, '..', '..');
const NAMED = KERNEL_PRESETS.filter((p): p is Exclude<KernelPreset, 'none' | 'custom'> => p !== 'none' && p !== 'custom');

test('the convolution equals one worked out by hand', () => {
  const img: GrayImage = { width: 3, height: 3, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) };
  // valid: one window, Σ k·x; the vertical-edge kernel gives (3 + 6 + 9) − (1 + 4 + 7) = 6.
  expect(Array.from(convolve2d(img, PRESET_KERNELS.edgeVertical, 'valid').data)).toEqual([6]);
  // same, top-left pixel: the window hangs over the border (zeros); sharpen gives 5·1 − 2 − 4 = −1.
  const same = convolve2d(img, PRESET_KERNELS.sharpen, 'same');
  expect([same.width, same.height]).toEqual([3, 3]);
  expect(same.data[0]).toBe(-1);
  // centre: 5·5 − (2 + 4 + 6 + 8) = 5; bottom-right: 5·9 − 6 − 8 = 31.
  expect(same.data[4]).toBe(5);
  expect(same.data[8]).toBe(31);
  expect(Array.from(convolve2d(img, PRESET_KERNELS.identity, 'same').data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(convolve2d(img, PRESET_KERNELS.boxBlur, 'valid').data[0]).toBeCloseTo(5, 6);
  // The asymmetric kernel shows that it is not flipped (cross-correlation, as tfjs and Keras do).
  expect(convolve2d(img, [[1, 0, 0], [0, 0, 0], [0, 0, 0]], 'valid').data[0]).toBe(1);
});

test.each(NAMED.flatMap((p) => [[p, 'same'], [p, 'valid']] as const))('%s (%s) equals tfjs conv2d', (preset, padding) => {
  const k = PRESET_KERNELS[preset];
  const got = convolve2d(IMAGE, k, padding);
  const want = tf.tidy(() => tf.conv2d(tf.tensor4d(IMAGE.data, [1, 5, 5, 1]), tf.tensor4d(k.flat(), [3, 3, 1, 1]), 1, padding).dataSync());
  expect(got.data.length).toBe(want.length);
  got.data.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
});

test('a preset fixes the tfjs model’s weights, frozen: predict is the convolution and training leaves them', async () => {
  const custom = [[0, 1, 0], [1, -4, 1], [0, 1, 0]];
  for (const [preset, kernel] of [['edgeAll', undefined], ['custom', custom]] as const) {
    const result = compile(doc({ kernelPreset: preset, kernel }));
    expect(result.ok).toBe(true);
    expect(result.nodes.conv.paramCount).toEqual({ trainable: 0, nonTrainable: 10 });
    const model = await toTfjsModel(tf, result);
    const layer = model.getLayer('conv');
    expect(layer.trainable).toBe(false);
    expect(model.trainableWeights).toHaveLength(0);
    const x = tf.tensor4d(IMAGE.data, [1, 5, 5, 1]);
    const y = (model.predict(x) as tfjs.Tensor).dataSync();
    const want = convolve2d(IMAGE, presetKernel(preset, kernel)!, 'same').data;
    want.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 5));
    // Also frozen when the layer's weights are in a model that trains something else.
    const before = layer.getWeights().map((w) => Array.from(w.dataSync()));
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(() => model.trainOnBatch(x, tf.onesLike(x))).not.toThrow();
    expect(layer.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    tf.dispose(x);
    model.dispose();
  }
});

test('with several input channels the same kernel filters each channel and the results are summed', async () => {
  const result = compile(doc({ kernelPreset: 'edgeVertical', useBias: false }, [5, 5, 3]));
  expect(result.ok).toBe(true);
  const model = await toTfjsModel(tf, result);
  const channels = [IMAGE.data, IMAGE.data.map((v) => v * 2), IMAGE.data.map((v) => 1 - v)];
  const rgb = Float32Array.from({ length: 75 }, (_, i) => channels[i % 3][Math.floor(i / 3)]);
  const y = (model.predict(tf.tensor4d(rgb, [1, 5, 5, 3])) as tfjs.Tensor).dataSync();
  const sum = channels.map((c) => convolve2d({ width: 5, height: 5, data: c }, PRESET_KERNELS.edgeVertical, 'same').data);
  sum[0].forEach((_, i) => expect(y[i]).toBeCloseTo(sum[0][i] + sum[1][i] + sum[2][i], 5));
  model.dispose();
});

test('a preset on several filters or another kernel size is refused with a message; the default is unchanged', () => {
  for (const params of [{ filters: 4, kernelPreset: 'sharpen' }, { kernelSize: 5, kernelPreset: 'boxBlur' }]) {
    const r = compile(doc(params));
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'kernel-preset');
    expect(d).toMatchObject({ nodeId: 'conv', param: 'kernelPreset' });
    expect(d!.message).toMatch(/one fixed 3×3 filter.*set filters to 1 and kernelSize to 3/);
  }
  const plain = compile(doc({ filters: 4 }));
  expect(plain.ok).toBe(true);
  expect(plain.nodes.conv.paramCount).toEqual({ trainable: 40, nonTrainable: 0 });
  expect(JSON.stringify(toModelTopology(plain))).not.toMatch(/"trainable":false/);
  expect(compile(doc({ kernelPreset: 'custom', kernel: [[1, 2], [3, 4]] })).diagnostics.map((x) => x.code)).toContain('param-invalid');
});

test('model.json and the Keras script freeze the layer and write the kernel', () => {
  const d = doc({ kernelPreset: 'sharpen' });
  const r = compile(d);
  const conv = toModelTopology(r).config.layers.find((l) => l.name === 'conv') as { config: { trainable?: boolean } };
  expect(conv.config.trainable).toBe(false);
  const py = toKeras(d, r);
  expect(py).toContain('kernel_initializer=keras.initializers.Constant(np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]], dtype="float32").reshape(3, 3, 1, 1))');
  expect(py).toContain('trainable=False');
});

describeWithOnnx('ONNX export of a kernel preset', () => {
  test('the file holds the preset’s kernel as its Conv weight, and onnxruntime gives tfjs predict’s output', () => {
    const dir = workDir('kernel-preset-onnx');
    // The ONNX tests' judge: a child process exports with the built model's weights and runs onnxruntime.
    const child = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, '__tests__', 'onnx', 'onnx-judge.ts')], {
      input: JSON.stringify({ dir, cases: [{ key: 'preset', doc: doc({ kernelPreset: 'edgeHorizontal' }), run: true }] }), encoding: 'utf8', maxBuffer: 1 << 26,
    });
    if (child.status !== 0) throw new Error(child.stderr);
    const [judged] = JSON.parse(child.stdout) as { file: string; maxDiff: number }[];
    expect(judged.maxDiff).toBeLessThan(1e-5);
    const read = spawnSync(PYTHON, ['-c', 'import onnx, sys, json; from onnx import numpy_helper as h; m = onnx.load(sys.argv[1]); '
      + 'print(json.dumps([h.to_array(t).tolist() for t in m.graph.initializer if len(t.dims) == 4]))', judged.file], { encoding: 'utf8' });
    if (read.status !== 0) throw new Error(read.stderr);
    expect(JSON.parse(read.stdout)).toEqual([[[PRESET_KERNELS.edgeHorizontal]]]);
  });
});

describeWithTorch('PyTorch export of a kernel preset', () => {
  test('torch runs the exported preset with its kernel, and counts no trainable parameters', async () => {
    const d = doc({ kernelPreset: 'boxBlur' });
    const result = compile(d);
    const model = await toTfjsModel(tf, result);
    const dir = workDir('kernel-preset');
    const script = path.join(dir, 'preset.py');
    writeFileSync(script, toPytorch(d, result));
    writeFileSync(script.replace(/\.py$/, '.npz'), toNpz(pytorchStateDict(result, nodeWeights(model, result))));
    const [v] = judge([{ script, inputShapes: [[5, 5, 1]], weights: script.replace(/\.py$/, '.npz'), inputs: [{ shape: [1, 5, 5, 1], values: Array.from(IMAGE.data) }] }]);
    expect(v.trainable).toBe(0);
    const want = convolve2d(IMAGE, PRESET_KERNELS.boxBlur, 'same').data;
    want.forEach((x, i) => expect(v.outputs![0][i]).toBeCloseTo(x, 5));
    model.dispose();
  });
});
