/**
 * Emission to Keras Python: a script that builds the same model with the functional API,
 * compiles it with the document's training settings and trains it, optionally inside a
 * tf.distribute strategy for several GPUs or machines. Every layer line carries its output
 * shape and parameter count as a comment, so the script reads like model.summary().
 */
import { documentFileName, thousands } from '../format';
import { LAYERS, layerByType } from '../layers';
import { kerasData } from '../datasets/keras';
import { checkTraining, type TrainingSettings } from '../training';
import type { CompileResult, GraphDocument } from '../types';
import { kerasActivationCall, needsActivationLayer } from '../layers/activation';
import { pyDocText, pyIdent, pyStr, pyTuple, type KerasCall } from './python';
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

function call(c: KerasCall, name: string): string {
  return `${c.cls}(${[...c.args, `name=${pyStr(name)}`].join(', ')})`;
}

function kerasShape(s: number[] | null): string {
  return s ? `(None, ${s.join(', ')})` : '(?)';
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
    const v = unique(pyIdent(id, PY_KEYWORDS), usedVars);
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
      const ac = kerasActivationCall(act!, p.alpha as number | undefined);
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
  const data = kerasData(result, settings);
  const inputShape = result.nodes[result.inputs[0]].outputShape!;
  const es = settings.earlyStopping;
  const monitor = es.monitor.replace(/acc$/, 'accuracy');
  const t = result.totals;

  const strategyLine = {
    none: '',
    mirrored: '    # One machine, every visible GPU: each replica gets a slice of each batch.\n    strategy = tf.distribute.MirroredStrategy()\n',
    multiworker: '    # Several machines: start this script on each with TF_CONFIG describing the cluster\n    # (see the TensorFlow "Multi-worker training with Keras" guide).\n    strategy = tf.distribute.MultiWorkerMirroredStrategy()\n',
  }[distribute];

  const parts = [
    `"""${pyDocText(title)}: built with Layerboard.

The same network as the graph: ${thousands(t.totalParams)} parameters (${thousands(t.trainableParams)} trainable), ${thousands(t.macs)} multiply-adds per example.
Needs TensorFlow 2.16 or later (Keras 3). Run: python ${documentFileName(doc, '.py')}
"""
${data.imports.map((m) => `import ${m}\n`).join('')}import numpy as np
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
        loss=${pyStr(data.loss)},
        metrics=[${data.metrics.map(pyStr).join(', ')}],
    )
`,
    data.code,
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
