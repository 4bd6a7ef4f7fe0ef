/**
 * ONNX import, with PyTorch and onnx as judges: torchvision's resnet18, mobilenet_v2 and vgg16
 * (random weights, no download), exported in eval mode with `torch.onnx.export(..., opset_version=13)`
 * as users do, open with the file's weight count (its FLOAT initializer elements), the output
 * shape [1000] and every layer's shape equal to onnx's strict shape inference (channels moved
 * last); so do squeezenet, efficientnet_b0, googlenet, mnasnet and densenet121 (whose untrained
 * BatchNorms share stored tensors, which a message explains). A small torch model with the rest of the op set (pads, ceil_mode, depthwise, BatchNorm
 * that is not folded, relu6, swish, leaky relu, elu, concat, mul, a 5×5 flatten into Linear)
 * imports with weights that make tfjs's output equal torch's to 1e-4 (torch's pads arithmetic after
 * F.pad is folded by the importer; onnx's inference leaves those sizes unknown, and they are not
 * compared). Damaged files, other
 * files and unknown ops give messages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';
import { compile, registerCustomLayers, toTfjsModel } from '@/graph-compiler';
import { toNamedTopology } from '@/graph-compiler/emit/tfjs';
import { docShape } from '@/graph-compiler/interop/onnx-form';
import { fromOnnx, type OnnxImport } from '@/graph-compiler/interop/onnx-import';
import { describeWithOnnx, PYTHON } from '../datasets/python-reference';

tf.env().set('PROD', true);
registerCustomLayers(tf);

const MAKE = String.raw`
import json, sys, os
import numpy as np
import torch, torchvision, onnx
from torch import nn
from onnx import shape_inference
torch.manual_seed(0)
out_dir = sys.argv[1]

class Small(nn.Module):
    """The op set beyond the three classifiers, each piece with weights torch would not fold away."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)
        self.dw = nn.Conv2d(8, 16, 3, padding=1, groups=8)
        self.bn = nn.BatchNorm2d(16)
        self.pw = nn.Conv2d(16, 8, 1, bias=False)
        self.branch = nn.Conv2d(16, 8, 3, padding=1)
        self.pad = nn.ZeroPad2d((1, 0, 1, 0))
        self.avg = nn.AvgPool2d(2)
        self.fc = nn.Linear(16 * 5 * 5, 12)
        self.out = nn.Linear(12, 5)
    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = self.pool(x)
        x = torch.nn.functional.relu6(self.dw(x))
        # A pooling between keeps the BatchNorm from being folded into the convolution.
        x = self.bn(torch.nn.functional.max_pool2d(x, 1))
        a = torch.nn.functional.silu(self.pw(x))
        b = torch.nn.functional.leaky_relu(self.branch(x), 0.2)
        x = torch.cat([a, b * torch.sigmoid(a)], dim=1)
        x = torch.nn.functional.elu(self.avg(self.pad(x)))
        x = torch.flatten(x, 1)
        x = torch.tanh(self.fc(x))
        return torch.softmax(self.out(x), dim=1)

report = {}
models = {"resnet18": torchvision.models.resnet18(weights=None), "mobilenet_v2": torchvision.models.mobilenet_v2(weights=None),
          "vgg16": torchvision.models.vgg16(weights=None), "small": Small(),
          "squeezenet1_0": torchvision.models.squeezenet1_0(weights=None), "efficientnet_b0": torchvision.models.efficientnet_b0(weights=None),
          "googlenet": torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False),
          "mnasnet0_5": torchvision.models.mnasnet0_5(weights=None), "densenet121": torchvision.models.densenet121(weights=None)}
for name, model in models.items():
    model.eval()
    size = 32 if name == "small" else 224
    x = torch.rand(1, 3, size, size)
    if name == "small":
        with torch.no_grad():
            model.bn.running_mean.uniform_(-0.5, 0.5)
            model.bn.running_var.uniform_(0.5, 2.0)
            model.bn.weight.uniform_(0.5, 1.5)
            model.bn.bias.uniform_(-0.5, 0.5)
    f = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, x, f, opset_version=13)
    m = onnx.load(f)
    inferred = shape_inference.infer_shapes(m, strict_mode=True).graph
    entry = {
        "file": f,
        "params": int(sum(p.numel() for p in model.parameters())),
        "floats": int(sum(int(np.prod(t.dims)) for t in m.graph.initializer if t.data_type == onnx.TensorProto.FLOAT)),
        "ops": sorted(set(n.op_type for n in m.graph.node)),
        "shapes": {v.name: [d.dim_value if d.HasField("dim_value") else -1 for d in v.type.tensor_type.shape.dim]
                   for v in list(inferred.value_info) + list(inferred.output)},
    }
    if name == "small":
        with torch.no_grad():
            entry["x"] = x.flatten().tolist()
            entry["y"] = model(x).flatten().tolist()
    report[name] = entry
    del m, inferred
json.dump(report, sys.stdout)
`;

interface Made {
  file: string;
  params: number;
  floats: number;
  ops: string[];
  shapes: Record<string, number[]>;
  x?: number[];
  y?: number[];
}

const CLASSIFIERS = ['resnet18', 'mobilenet_v2', 'vgg16'] as const;
/** More torchvision classifiers made of the same ops (ceil_mode pooling, SiLU and squeeze-excitation, x.mean([2, 3]), DenseNet's concatenations). */
const MORE = ['squeezenet1_0', 'efficientnet_b0', 'googlenet', 'mnasnet0_5', 'densenet121'] as const;
/** torchvision's parameter counts (BatchNorm's γ and β among them, which eval export folds into the convolutions). */
const TORCH_PARAMS = { resnet18: 11_689_512, mobilenet_v2: 3_504_872, vgg16: 138_357_544 };

/** Every imported layer's shape against onnx's inferred shape of the same ONNX value (channels last). */
function shapeMismatches(r: Extract<OnnxImport, { ok: true }>, shapes: Record<string, number[]>): string[] {
  const result = compile(r.doc);
  const bad: string[] = [];
  for (const [value, id] of Object.entries(r.tensors)) {
    const want = shapes[value];
    // onnx leaves a size unknown where it cannot follow the arithmetic (torch's pads subgraph).
    if (!want || want.slice(1).some((d) => d < 0)) continue;
    const got = result.nodes[id]?.outputShape;
    if (JSON.stringify(got) !== JSON.stringify(docShape(want))) bad.push(`${value} → ${id}: ${JSON.stringify(got)} vs ${JSON.stringify(docShape(want))}`);
  }
  return bad;
}

describeWithOnnx('ONNX import judged by torch and onnx', () => {
  let dir: string;
  let made: Record<string, Made>;
  const imports = new Map<string, OnnxImport>();

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'layerboard-onnx-import-'));
    const r = spawnSync(PYTHON, ['-c', MAKE, dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(r.stderr);
    made = JSON.parse(r.stdout);
  }, 900_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const imported = (name: string) => {
    if (!imports.has(name)) imports.set(name, fromOnnx(new Uint8Array(readFileSync(made[name].file))));
    const r = imports.get(name)!;
    if (!r.ok) throw new Error(r.message);
    return r;
  };

  test.each(CLASSIFIERS)('torchvision %s opens with the file\'s weight count, output [1000] and onnx\'s shapes', (name) => {
    const r = imported(name);
    expect(r.messages).toEqual([]);
    expect(r.leftOut).toEqual([]);
    expect(made[name].params).toBe(TORCH_PARAMS[name]);
    const result = compile(r.doc);
    expect(result.ok).toBe(true);
    expect(r.fileWeights).toBe(made[name].floats);
    expect(result.totals.totalParams).toBe(made[name].floats);
    expect(result.outputs.map((id) => result.nodes[id].outputShape)).toEqual([[1000]]);
    expect(shapeMismatches(r, made[name].shapes)).toEqual([]);
    // Every ONNX output value of a layer is accounted for.
    expect(Object.keys(r.tensors).filter((v) => made[name].shapes[v]).length).toBeGreaterThan(result.order.length / 2);
    imports.delete(name);
  }, 120_000);

  test.each(MORE)('torchvision %s opens with output [1000] and onnx\'s shapes', (name) => {
    const r = imported(name);
    expect(r.leftOut).toEqual([]);
    const result = compile(r.doc);
    expect(result.ok).toBe(true);
    expect(result.outputs.map((id) => result.nodes[id].outputShape)).toEqual([[1000]]);
    expect(shapeMismatches(r, made[name].shapes)).toEqual([]);
    expect(r.fileWeights).toBe(made[name].floats);
    if (name === 'densenet121') {
      // Its untrained BatchNorms hold equal ones and zeros, which torch stores once for several layers.
      expect(r.messages).toEqual([expect.stringMatching(/^The file holds 7928936 weights and the document counts 8032744: \d+ of the file's initializers are read by more than one layer/)]);
    } else {
      expect(r.messages).toEqual([]);
      expect(result.totals.totalParams).toBe(made[name].floats);
    }
    imports.delete(name);
  }, 120_000);

  test('a small torch model with the rest of the op set imports with torch\'s output in tfjs to 1e-4', async () => {
    const m = made.small;
    expect(m.ops).toEqual(expect.arrayContaining(['BatchNormalization', 'Clip', 'Concat', 'Elu', 'LeakyRelu', 'MaxPool', 'Pad', 'Sigmoid', 'Softmax']));
    const r = imported('small');
    expect(r.messages).toEqual([]);
    const result = compile(r.doc);
    expect(result.ok).toBe(true);
    expect(result.totals.totalParams).toBe(m.floats);
    expect(shapeMismatches(r, m.shapes)).toEqual([]);
    const types = new Set(r.doc.nodes.map((n) => n.type));
    for (const t of ['DepthwiseConv2D', 'BatchNormalization', 'ZeroPadding2D', 'Concatenate', 'Multiply', 'AveragePooling2D', 'Flatten', 'Dense']) expect(types).toContain(t);
    expect(r.doc.nodes.some((n) => n.params.activation === 'swish')).toBe(true);

    const model = await toTfjsModel(tf, result);
    const { layerOf } = toNamedTopology(result);
    for (const [id, weights] of Object.entries(r.weights)) {
      const layer = model.getLayer(layerOf[id]);
      layer.setWeights(layer.weights.map((v) => {
        const short = (v.originalName ?? v.name).split('/').at(-1)!.replace(/_\d+$/, '');
        const w = weights.find((x) => x.name === short)!;
        return tf.tensor(w.values, w.shape);
      }));
    }
    const nchw = tf.tensor(m.x!, [1, 3, 32, 32]);
    const y = model.predict(tf.transpose(nchw, [0, 2, 3, 1])) as tf.Tensor;
    const got = Array.from(y.dataSync());
    expect(got).toHaveLength(m.y!.length);
    const diff = Math.max(...got.map((v, i) => Math.abs(v - m.y![i])));
    expect(diff).toBeLessThan(1e-4);
    model.dispose();
  }, 120_000);

  describe('damaged and foreign files give messages', () => {
    test('a truncated file', () => {
      const bytes = readFileSync(made.resnet18.file);
      const r = fromOnnx(new Uint8Array(bytes.subarray(0, 4000)));
      expect(r).toEqual({ ok: false, message: expect.stringMatching(/^not JSON, and not a readable ONNX model: the data is cut short or damaged near byte \d+ of 4000$/) });
    });

    test('random bytes, an empty file and a JSON document', () => {
      let seed = 5;
      const random = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
      for (const bytes of [random, new Uint8Array(), new TextEncoder().encode('{"format": "layerboard.graph"}')]) {
        const r = fromOnnx(bytes);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.message).toMatch(/^(not JSON, and not a readable ONNX model|not an ONNX model|not a readable ONNX model|the file is empty)/);
      }
    });

    test('an unknown op is left out with one message naming the node, the op and why; the rest is imported', () => {
      const model = onnx.ModelProto.decode(new Uint8Array(readFileSync(made.small.file)));
      const elu = model.graph!.node!.find((n) => n.opType === 'Elu')!;
      elu.opType = 'Frobnicate';
      const r = fromOnnx(onnx.ModelProto.encode(model).finish());
      if (!r.ok) throw new Error(r.message);
      expect(r.messages).toEqual([expect.stringMatching(new RegExp(`^Node "${elu.name!.replace(/[/.]/g, '\\$&')}" \\(Frobnicate\\) is not supported: Layerboard has no layer for this op\\. It is left out, and the nodes after it take its input ".+" instead\\.$`))]);
      expect(r.leftOut).toEqual([elu.name]);
      expect(compile(r.doc).ok).toBe(true);
    });

    test('an attribute Layerboard cannot represent names the node and the reason', () => {
      const model = onnx.ModelProto.decode(new Uint8Array(readFileSync(made.small.file)));
      const leaky = model.graph!.node!.find((n) => n.opType === 'Clip')!;
      const max = leaky.input![2];
      const constant = model.graph!.node!.find((n) => n.output![0] === max)!;
      constant.attribute![0].t!.rawData = new Uint8Array(new Float32Array([4]).buffer);
      const r = fromOnnx(onnx.ModelProto.encode(model).finish());
      if (!r.ok) throw new Error(r.message);
      expect(r.messages).toEqual([expect.stringContaining('(Clip) is not supported: clipping to [0, 4] is not supported (only [0, 6], as relu6)')]);
    });
  });
});
