/**
 * Emission to Keras Python: a script that builds the same model with the functional API,
 * compiles it with the document's training settings and trains it, optionally inside a
 * tf.distribute strategy for several GPUs or machines. Every layer line carries its output
 * shape and parameter count as a comment, so the script reads like model.summary().
 */
import { thousands } from '../format';
import { LAYERS, layerByType } from '../layers';
import { checkTraining, type TrainingSettings } from '../training';
import type { CompileResult, GraphDocument } from '../types';
import { kerasActivationCall, needsActivationLayer } from '../layers/activation';
import { pyStr, pyTuple, type KerasCall } from './python';
import { tfjsName } from './tfjs';

export type Distribution = 'none' | 'mirrored' | 'multiworker';

export interface KerasOptions {
  /** Wrap model building in a tf.distribute strategy scope. */
  distribute?: Distribution;
}

const PY_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except ' +
  'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield ' +
  'keras layers tf np model input print list dict id type len max min sum map filter range object str int float ' +
  'main build_model compile_model load_data').split(' '));

const OPTIMIZERS: Record<string, (s: TrainingSettings) => string> = {
  sgd: (s) => `keras.optimizers.SGD(learning_rate=${s.learningRate})`,
  momentum: (s) => `keras.optimizers.SGD(learning_rate=${s.learningRate}, momentum=${s.momentum})`,
  adam: (s) => `keras.optimizers.Adam(learning_rate=${s.learningRate})`,
  rmsprop: (s) => `keras.optimizers.RMSprop(learning_rate=${s.learningRate})`,
  adagrad: (s) => `keras.optimizers.Adagrad(learning_rate=${s.learningRate})`,
};

const LOSSES: Record<string, string> = {
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  meanSquaredError: 'mean_squared_error',
  meanAbsoluteError: 'mean_absolute_error',
};

function call(c: KerasCall, name: string): string {
  return `${c.cls}(${[...c.args, `name=${pyStr(name)}`].join(', ')})`;
}

function kerasShape(s: number[] | null): string {
  return s ? `(None, ${s.join(', ')})` : '(?)';
}

/** The loss Keras should use: the document's choice, or one that fits the output activation. */
function lossFor(result: CompileResult, s: TrainingSettings): string {
  if (s.loss !== 'auto') return LOSSES[s.loss];
  const out = result.nodes[result.outputs[0]];
  const act = out ? layerByType(out.type)?.activationOf?.(out.params!) : undefined;
  const units = out?.outputShape?.[out.outputShape.length - 1];
  if (act === 'softmax') return 'sparse_categorical_crossentropy';
  if (act === 'sigmoid' && units === 1) return 'binary_crossentropy';
  return 'mean_squared_error';
}

/**
 * The Python script for a compiled, error-free graph.
 *
 * @example
 * const py = toKeras(doc, compile(doc), { distribute: 'mirrored' });
 */
export function toKeras(doc: GraphDocument, result: CompileResult, options: KerasOptions = {}): string {
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`The graph has errors; first: ${first?.message}`);
  }
  const distribute = options.distribute ?? 'none';
  const { settings } = checkTraining(doc.training);
  const vars = new Map<string, string>();
  const usedVars = new Set<string>();
  const usedNames = new Set<string>();
  const unique = (base: string, used: Set<string>) => {
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  // Classes the calls name: those Keras does not have (Maxout, Step) are written out.
  const called = new Set<string>();
  const uses = (kc: KerasCall) => called.add(kc.cls);

  const lines: { code: string; comment: string }[] = [];
  const shapeWidth = Math.max(...result.order.map((id) => kerasShape(result.nodes[id].outputShape).length));
  for (const id of result.order) {
    const node = result.nodes[id];
    const spec = layerByType(node.type)!;
    const p = node.params!;
    let v = id.replace(/\W/g, '_');
    if (/^\d/.test(v)) v = `n_${v}`;
    if (PY_KEYWORDS.has(v)) v = `${v}_`;
    v = unique(v, usedVars);
    vars.set(id, v);
    const name = unique(tfjsName(id), usedNames);
    const count = node.paramCount!.trainable + node.paramCount!.nonTrainable;
    const comment = `${kerasShape(node.outputShape).padEnd(shapeWidth)}  ${thousands(count)} params`;

    const act = spec.activationOf?.(p);
    const split = spec.fusedActivation === true && needsActivationLayer(act);
    const kc = spec.toKeras(split ? { ...p, activation: 'linear' } : p);
    uses(kc);
    const ins = node.inputIds.map((s) => vars.get(s)!);
    const arg = ins.length === 1 ? ins[0] : `[${ins.join(', ')}]`;
    if (node.type === 'Input') {
      lines.push({ code: `${v} = ${call(kc, name)}`, comment });
    } else if (split) {
      lines.push({ code: `${v} = ${call(kc, name)}(${arg})`, comment: `${comment}, before ${act}` });
      const ac = kerasActivationCall(act!);
      uses(ac);
      lines.push({ code: `${v} = ${call(ac, unique(`${name}_${act}`, usedNames))}(${v})`, comment: kerasShape(node.outputShape) });
    } else {
      lines.push({ code: `${v} = ${call(kc, name)}(${arg})`, comment });
    }
  }
  const ins = result.inputs.map((id) => vars.get(id)!);
  const outs = result.outputs.map((id) => vars.get(id)!);
  const many = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);
  const width = Math.max(...lines.map((l) => l.code.length).filter((n) => n <= 90), 0);
  const body = lines.map((l) => `    ${l.code.padEnd(width)}  # ${l.comment}`).join('\n');

  const title = doc.name ?? 'Layerboard model';
  const loss = lossFor(result, settings);
  const classification = loss.includes('crossentropy');
  const inputShape = result.nodes[result.inputs[0]].outputShape!;
  const outputUnits = result.nodes[result.outputs[0]].outputShape!.at(-1)!;
  const es = settings.earlyStopping;
  const monitor = es.monitor.replace(/acc$/, 'accuracy');
  const t = result.totals;

  const strategyLine = {
    none: '',
    mirrored: '    # One machine, every visible GPU: each replica gets a slice of each batch.\n    strategy = tf.distribute.MirroredStrategy()\n',
    multiworker: '    # Several machines: start this script on each with TF_CONFIG describing the cluster\n    # (see the TensorFlow "Multi-worker training with Keras" guide).\n    strategy = tf.distribute.MultiWorkerMirroredStrategy()\n',
  }[distribute];

  const parts = [
    `"""${title}: built with Layerboard.

The same network as the graph: ${thousands(t.totalParams)} parameters (${thousands(t.trainableParams)} trainable), ${thousands(t.macs)} multiply-adds per example.
Needs TensorFlow 2.16 or later (Keras 3). Run: python ${title.replace(/\W+/g, '_').toLowerCase()}.py
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers
`,
    ...LAYERS.flatMap((spec) => Object.entries(spec.kerasClasses ?? {}).filter(([cls]) => called.has(cls)).map(([, py]) => py)),
    `INPUT_SHAPE = ${pyTuple(inputShape)}
SETTINGS = {
    "dataset": ${pyStr(settings.dataset)},
    "batch_size": ${settings.batchSize},
    "epochs": ${settings.epochs},
    "validation_split": ${settings.validationSplit},
    "seed": ${settings.seed},
}


def build_model():
    """The graph, layer by layer (output shapes leave out the batch axis: None)."""
${body}
    return keras.Model(inputs=${many(ins)}, outputs=${many(outs)}, name=${pyStr(tfjsName(title))})


def compile_model(model):
    model.compile(
        optimizer=${OPTIMIZERS[settings.optimizer](settings)},
        loss=${pyStr(loss)},
        metrics=${classification ? '["accuracy"]' : '["mean_absolute_error"]'},
    )
`,
    loadData(settings, inputShape, outputUnits, loss, ins.length, outs.length),
    `

def main():
    keras.utils.set_random_seed(SETTINGS["seed"])
${strategyLine}${distribute === 'none' ? '    model = build_model()\n    compile_model(model)\n' : '    with strategy.scope():\n        model = build_model()\n        compile_model(model)\n'}    model.summary()
    (x_train, y_train), (x_test, y_test) = load_data()
    callbacks = [${es.enabled
      ? `keras.callbacks.EarlyStopping(monitor=${pyStr(monitor)}, patience=${es.patience}, min_delta=${es.minDelta}, restore_best_weights=${es.restoreBestWeights ? 'True' : 'False'})`
      : ''}]
    model.fit(x_train, y_train,
              batch_size=SETTINGS["batch_size"]${distribute === 'none' ? '' : ' * strategy.num_replicas_in_sync'},
              epochs=SETTINGS["epochs"], validation_split=SETTINGS["validation_split"], callbacks=callbacks)
    print(model.evaluate(x_test, y_test, return_dict=True))


if __name__ == "__main__":
    main()
`,
  ];
  return `${parts.map((x) => x.trim()).filter(Boolean).join('\n\n\n')}\n`;
}

/** The point generators of TensorFlow Playground's 2-D sets, in numpy (labels 0/1). */
const PLAYGROUND: Record<string, string> = {
  circle: `    r = np.concatenate([rng.uniform(0, 2.5, half), rng.uniform(3.5, 5, n - half)])
    a = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.sin(a), r * np.cos(a)], 1) + rng.uniform(-5, 5, (n, 2)) * noise
    y = (r < 3).astype("int64")`,
  xor: `    x = rng.uniform(-5, 5, (n, 2))
    x += np.sign(x) * 0.3
    y = (x[:, 0] * x[:, 1] >= 0).astype("int64")
    x += rng.uniform(-5, 5, x.shape) * noise`,
  gaussian: `    y = np.concatenate([np.ones(half), np.zeros(n - half)]).astype("int64")
    x = np.where(y[:, None] == 1, 2.0, -2.0) + rng.normal(0, 0.5 + 3.5 * noise, (n, 2))`,
  spiral: `    y = np.concatenate([np.ones(half), np.zeros(n - half)]).astype("int64")
    i = np.concatenate([np.arange(half), np.arange(n - half)]) / np.where(y == 1, half, n - half)
    r, t = i * 5, 1.75 * i * 2 * np.pi + np.where(y == 1, 0, np.pi)
    x = np.stack([r * np.sin(t), r * np.cos(t)], 1) + rng.uniform(-1, 1, (n, 2)) * noise`,
};

/** A `load_data()` for the document's data set, returning numpy arrays shaped for the model. */
function loadData(s: TrainingSettings, inputShape: number[], units: number, loss: string, nIn: number, nOut: number): string {
  const oneHot = loss === 'categorical_crossentropy'
    ? `\n    y_train, y_test = keras.utils.to_categorical(y_train, ${units}), keras.utils.to_categorical(y_test, ${units})` : '';
  const head = 'def load_data():\n';
  if (nIn !== 1 || nOut !== 1) {
    return `${head}    """This model has ${nIn} inputs and ${nOut} outputs: return lists of arrays, one per input and output."""\n    raise NotImplementedError("load your data here")`;
  }
  switch (s.dataset) {
    case 'mnist':
      return `${head}    """MNIST digits from Keras, scaled to [0, 1] and shaped like the Input."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()

    def to_input(x):
        x = (x / 255.0).astype("float32")
        if len(INPUT_SHAPE) == 1:
            return x.reshape((-1,) + INPUT_SHAPE)
        x = x[..., None]
        if INPUT_SHAPE[:2] != (28, 28):  # pad (or crop) around the digit, as LeNet-5 pads to 32x32
            x = tf.image.resize_with_crop_or_pad(x, INPUT_SHAPE[0], INPUT_SHAPE[1]).numpy()
        return np.repeat(x, INPUT_SHAPE[2], -1) if INPUT_SHAPE[2] != 1 else x

    x_train, x_test = to_input(x_train), to_input(x_test)${oneHot}
    return (x_train, y_train), (x_test, y_test)`;
    case 'circle': case 'xor': case 'gaussian': case 'spiral':
      return `${head}    """TensorFlow Playground's "${s.dataset}" set: ${s.samples} points, noise ${s.noise}, train ratio ${s.trainRatio}."""
    rng = np.random.default_rng(SETTINGS["seed"])
    n, noise = ${s.samples}, ${s.noise}
    half = n // 2
${PLAYGROUND[s.dataset]}
    order = rng.permutation(n)
    x, y = x[order].astype("float32").reshape((-1,) + INPUT_SHAPE), y[order]
    cut = int(n * ${s.trainRatio})
    x_train, y_train, x_test, y_test = x[:cut], y[:cut], x[cut:], y[cut:]${oneHot}
    return (x_train, y_train), (x_test, y_test)`;
    case 'csv':
      return `${head}    """A CSV file with a header row: numeric features normalised, "${s.labelColumn ?? 'label'}" as the ${s.task === 'regression' ? 'target' : 'class'}."""
    import pandas as pd
    frame = pd.read_csv("data.csv")
    y = frame.pop(${pyStr(s.labelColumn ?? 'label')})
    ${s.task === 'regression' ? 'y = y.to_numpy("float32")' : 'y = y.astype("category").cat.codes.to_numpy("int64")'}
    x = frame.to_numpy("float32")
    x = (x - x.mean(0)) / (x.std(0) + 1e-7)
    rng = np.random.default_rng(SETTINGS["seed"])
    order = rng.permutation(len(x))
    x, y = x[order].reshape((-1,) + INPUT_SHAPE), y[order]
    cut = int(len(x) * 0.8)
    x_train, y_train, x_test, y_test = x[:cut], y[:cut], x[cut:], y[cut:]${oneHot}
    return (x_train, y_train), (x_test, y_test)`;
    default:
      return `${head}    """Images in class folders (images/<class>/*.png), resized to the Input's shape."""
    kwargs = dict(labels="inferred", image_size=INPUT_SHAPE[:2], batch_size=None, seed=SETTINGS["seed"],
                  color_mode="grayscale" if INPUT_SHAPE[-1] == 1 else "rgb", validation_split=0.2, subset="both")
    train, test = keras.utils.image_dataset_from_directory("images", **kwargs)
    def arrays(ds):
        xs, ys = zip(*[(x.numpy() / 255.0, y.numpy()) for x, y in ds])
        return np.stack(xs).astype("float32"), np.array(ys)
    (x_train, y_train), (x_test, y_test) = arrays(train), arrays(test)${oneHot}
    return (x_train, y_train), (x_test, y_test)`;
  }
}
