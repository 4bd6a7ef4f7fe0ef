/**
 * The training engine: everything that needs TensorFlow.js, in one object that lives where tfjs
 * lives: in the training Web Worker (the usual case), or on the page's main thread when a
 * worker cannot run WebGL. It owns the current run, its model, the data set and the plan, and
 * answers the session's requests: start, pause/resume/stop, evaluate, predict, export, load.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { compile, toTfjsModel, type CompileResult, type GraphDocument, type TF, type TrainingSettings } from '@/graph-compiler';
import { saveTfjsModel } from '@/graph-compiler/interop';
import { withSeededMathRandom } from '@/lib/datasets/rng';
import type { Dataset } from '@/lib/datasets/types';
import type { RunPlan } from './check';
import { autoLoss, targetEncoding, type LossName } from './loss';
import { evaluateModel, EvaluationSkipped, predictWith, toClassProbs, TrainingRun, type Evaluation, type RunEnd, type RunListener } from './run';
import { denseChain, weightsFit, type DenseChain, type LayerWeights } from './neurons';
import { editWeights, readChainWeights, setChainWeight, type WeightEdit } from './neuron-weights';
import { nodeActivations, type NodeActivations } from './activations';
import { graphKey } from './graph-key';
import { measureBackends } from './backend-measure';
import type { BackendSpeeds } from './backend-pick';
import type { BackendName } from './tf';

/**
 * What a run needs; all of it survives structured cloning (for the worker). The graph travels
 * as its document (plain JSON) and is compiled again where it trains: compiling is cheap, and
 * a compile result holds functions that cannot be posted to a worker.
 */
export interface StartRequest {
  doc: GraphDocument;
  settings: TrainingSettings;
  dataset: Dataset;
  plan: RunPlan;
  boundaryGrid: number;
  /** The perceptron rule: how long each of its first updates stays on screen (see run.ts). */
  perceptronPaceMs?: number;
  /** The backend to train on (one this engine's tfjs has); the current one when absent. */
  backend?: BackendName;
}

/** The part of a plan that evaluation and prediction need (a loaded model has no graph). */
export type ModelPlan = Pick<RunPlan, 'inputShape' | 'output' | 'task' | 'loss' | 'encoding'>;

/** A saved model as the two files tfjs writes: model.json and its weights. */
export interface ModelFilesPayload {
  json: string;
  weights: ArrayBuffer;
}

export interface LoadOutcome {
  evaluation: Evaluation;
  plan: ModelPlan;
}

/** The training host's tf.memory(): its live tensors and their bytes. */
export interface TrainingMemory {
  numTensors: number;
  numBytes: number;
}

/** Why a loaded model's weights cannot be set through this graph. */
export const NOT_THIS_GRAPH = "The loaded model's layers are not this graph's: its weights are not drawn here.";

/** The untrained weights' key: the seed and the model (names and positions left out, see graph-key.ts). */
const previewKey = (seed: number, result: CompileResult) => `${seed} ${graphKey(result)}`;

export class TrainingEngine {
  private run: TrainingRun | null = null;
  private model: tfjs.LayersModel | null = null;
  private dataset: Dataset | null = null;
  private plan: ModelPlan | null = null;
  /** The graph the model was built from; null for a model loaded from files. */
  private result: CompileResult | null = null;
  private name: string | undefined;
  /** Set by `stop()`: an evaluation in progress ends after its current chunk. */
  private skipEvaluation = false;
  /**
   * The neuron view's weights of a graph no run has trained yet (as its seed draws them, with
   * the edits made since): plain numbers, so that no tensor outlives a request. The next run of
   * the same graph and seed starts from them when they were edited (and uses them up).
   */
  private preview: { key: string; weights: LayerWeights[]; edited: boolean } | null = null;

  constructor(
    private readonly tf: TF,
    /** The message of a lost WebGL context, once one was lost, else null. */
    private readonly lostMessage: () => string | null = () => null,
    /** Settles when the WebGL context is lost (see whenContextLost in ./tf). */
    private readonly lost?: Promise<string>,
  ) {}

  async start(req: StartRequest, listener: RunListener): Promise<RunEnd> {
    this.disposeModel();
    if (req.backend && this.tf.getBackend() !== req.backend) await this.tf.setBackend(req.backend);
    this.dataset = req.dataset;
    this.plan = req.plan;
    // Only a run that started on WebGL is broken by losing WebGL.
    const onWebgl = this.tf.getBackend() === 'webgl';
    this.result = compile(req.doc);
    this.name = req.doc.name;
    // Weights set by hand in the neuron view before this run: it starts from them.
    const edited = this.preview?.edited && this.preview.key === previewKey(req.settings.seed, this.result) ? this.preview.weights : undefined;
    const run = new TrainingRun({
      tf: this.tf,
      result: this.result,
      settings: req.settings,
      dataset: req.dataset,
      plan: req.plan,
      listener,
      boundaryGrid: req.boundaryGrid,
      perceptronPaceMs: req.perceptronPaceMs,
      startWeights: edited,
      abortReason: () => (onWebgl ? this.lostMessage() : null),
      abortOn: onWebgl ? this.lost : undefined,
    });
    this.run = run;
    const end = await run.start();
    this.model = run.model;
    // The edits are used up by a run that trained from them; after an error they stay for the next Start.
    if (edited && end.reason !== 'error') this.preview = null;
    return end;
  }

  /**
   * Examples per second of the run `req` describes on each of `backends` (a few batches of its
   * own model, see ./backend-measure.ts), for the "auto" backend choice.
   */
  measureBackends(req: StartRequest, backends: BackendName[]): Promise<BackendSpeeds> {
    const measuring = measureBackends(this.tf, req, backends);
    // A read-back of a lost WebGL context never completes: fail with its message instead.
    if (!this.lost) return measuring;
    measuring.catch(() => undefined);
    return Promise.race([measuring, this.lost.then((message) => Promise.reject(new Error(message)))]);
  }

  pause(): void {
    this.run?.pause();
  }

  resume(): void {
    this.run?.resume();
  }

  /** Stops the run after its current batch, or skips the evaluation in progress. */
  stop(): void {
    this.run?.stop();
    this.skipEvaluation = true;
  }

  private need(): { model: tfjs.LayersModel; dataset: Dataset; plan: ModelPlan } {
    if (!this.model || !this.dataset || !this.plan) throw new Error('There is no trained or loaded model yet.');
    return { model: this.model, dataset: this.dataset, plan: this.plan };
  }

  /** The test evaluation with its progress; null when `stop()` skipped it. */
  async evaluate(onProgress?: (fraction: number) => void): Promise<Evaluation | null> {
    const { model, dataset, plan } = this.need();
    this.skipEvaluation = false;
    try {
      return await evaluateModel(this.tf, model, dataset, plan, dataset.test, { onProgress, cancelled: () => this.skipEvaluation });
    } catch (err) {
      if (err instanceof EvaluationSkipped) return null;
      throw err;
    }
  }

  /** Class probabilities (or regression values) for `n` examples already in model units. */
  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    const { model, dataset, plan } = this.need();
    const out = await predictWith(this.tf, model, plan.inputShape, x, n);
    return plan.task === 'classification' ? toClassProbs(out, plan.output.units, dataset.classNames.length) : out;
  }

  /** tf.memory()'s tensor count and bytes here: every view and request leaves them where it found them. */
  memory(): TrainingMemory {
    const { numTensors, numBytes } = this.tf.memory();
    return { numTensors, numBytes };
  }

  /**
   * A node's output for one example `x` (model units): with the run's weights when the run (in
   * progress or finished) was built from this graph, else with the untrained weights `seed`
   * draws (that model is built, read and disposed).
   */
  async activations(doc: GraphDocument, seed: number, nodeId: string, x: Float32Array): Promise<NodeActivations> {
    const result = compile(doc);
    if (!result.ok) throw new Error('The graph has errors: fix the layers marked in red first.');
    const live = this.liveFor(result);
    if (live) return { ...(await nodeActivations(this.tf, live, result, nodeId, x)), trained: true };
    const model = await withSeededMathRandom(seed, () => toTfjsModel(this.tf, result));
    try {
      return { ...(await nodeActivations(this.tf, model, result, nodeId, x)), trained: false };
    } finally {
      model.dispose();
    }
  }

  /** The model loaded from files (no graph built it), else null. */
  private loadedModel(): tfjs.LayersModel | null {
    return !this.run && !this.result ? this.model : null;
  }

  /**
   * The loaded model's weights for the chain, when its layers are those the graph builds (names,
   * as the graph's own export writes them, classes and activations, in order) and hold weights
   * of the chain's shapes. Else null: the loaded model is not drawn as this graph.
   */
  private async loadedChain(result: CompileResult, chain: DenseChain): Promise<{ weights: LayerWeights[] } | null> {
    const model = this.loadedModel()!;
    // The same layers as the graph builds, in order: names, classes and activations.
    const built = await toTfjsModel(this.tf, result);
    const sig = (m: tfjs.LayersModel) => JSON.stringify(m.layers.map((l) => [l.name, l.getClassName(), (l.getConfig() as { activation?: unknown }).activation ?? null]));
    const same = sig(built) === sig(model);
    built.dispose();
    if (!same) return null;
    try {
      const weights = await readChainWeights(model, result, chain);
      return weightsFit(chain, weights) ? { weights } : null;
    } catch {
      // A layer of the chain's name is missing: another model.
      return null;
    }
  }

  /**
   * The live model (a run's, in progress or finished) when it was built from the same graph as
   * `result` (see graph-key.ts), else null.
   */
  private liveFor(result: CompileResult): tfjs.LayersModel | null {
    const model = this.run?.model ?? this.model;
    return model && this.result && graphKey(this.result) === graphKey(result) ? model : null;
  }

  /**
   * The neuron view's weights of a graph, per Dense node: the live model's when it was built
   * from this graph, else those the graph starts from with `seed` (built, read and disposed).
   * Null when the graph is not a small dense chain.
   */
  async weights(doc: GraphDocument, seed: number): Promise<LayerWeights[] | null> {
    const result = compile(doc);
    const { chain } = denseChain(result);
    if (!chain) return null;
    const live = this.liveFor(result);
    if (live) return readChainWeights(live, result, chain);
    if (this.loadedModel()) return (await this.loadedChain(result, chain))?.weights ?? null;
    const key = previewKey(seed, result);
    if (this.preview?.key !== key) {
      const model = await withSeededMathRandom(seed, () => toTfjsModel(this.tf, result));
      try {
        this.preview = { key, weights: await readChainWeights(model, result, chain), edited: false };
      } finally {
        model.dispose();
      }
    }
    return this.preview.weights;
  }

  /** Sets one weight (of the live model, or of the untrained graph's) and answers all of them. */
  async setWeight(doc: GraphDocument, seed: number, edit: WeightEdit): Promise<LayerWeights[]> {
    const result = compile(doc);
    const { chain, reason } = denseChain(result);
    if (!chain) throw new Error(reason);
    const live = this.liveFor(result);
    if (live) {
      if (this.run?.state === 'running') throw new Error('Pause the run to set a weight.');
      return setChainWeight(this.tf, live, result, chain, edit);
    }
    if (this.loadedModel()) {
      if (!(await this.loadedChain(result, chain))) throw new Error(NOT_THIS_GRAPH);
      return setChainWeight(this.tf, this.loadedModel()!, result, chain, edit);
    }
    const weights = await this.weights(doc, seed);
    this.preview = { key: this.preview!.key, weights: editWeights(weights!, chain, edit), edited: true };
    return this.preview.weights;
  }

  /**
   * model.json (topology, weights manifest, our metadata) and the weights, saved by
   * `saveTfjsModel`: the topology of the trained graph, or the loaded model's own.
   */
  async exportFiles(weightsFileName: string): Promise<ModelFilesPayload> {
    const { model, dataset, plan } = this.need();
    const { modelJson, weights } = await saveTfjsModel(this.tf, model, this.result, this.name, weightsFileName);
    const json = {
      ...modelJson,
      userDefinedMetadata: {
        layerboard: { dataset: dataset.id, classNames: dataset.classNames, task: plan.task, loss: plan.loss, target: dataset.target ?? null },
      },
    };
    return { json: JSON.stringify(json), weights: weights.buffer as ArrayBuffer };
  }

  /** Loads model.json + weights, compiles it for evaluation, and evaluates it on `dataset`. */
  async loadFiles(files: File[], dataset: Dataset): Promise<LoadOutcome> {
    const tf = this.tf;
    const json = files.find((f) => f.name.endsWith('.json'));
    const weights = files.filter((f) => f !== json);
    if (!json || weights.length === 0) throw new Error('Choose both files of a saved model: model.json and its .weights.bin.');
    const model = await tf.loadLayersModel(tf.io.browserFiles([json, ...weights]));
    const inputShape = model.inputs[0].shape.slice(1) as number[];
    const outShape = model.outputs[0].shape.slice(1) as number[];
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    if (size(inputShape) !== size(dataset.featureShape)) {
      model.dispose();
      throw new Error(`The model's input is [${inputShape.join(', ')}], but each example of ${dataset.title} is [${dataset.featureShape.join(', ')}]: choose the data set it was trained on.`);
    }
    const units = outShape[outShape.length - 1] ?? 1;
    const meta = (model.getUserDefinedMetadata() as { layerboard?: { loss?: LossName } } | undefined)?.layerboard;
    const loss = meta?.loss ?? autoLoss(dataset.task, { units });
    model.compile({ optimizer: tf.train.sgd(0.01), loss, metrics: dataset.task === 'classification' ? ['acc'] : [] });
    const plan: ModelPlan = {
      inputShape,
      output: { nodeId: model.outputs[0].name, name: json.name, type: model.layers[model.layers.length - 1].getClassName(), shape: outShape, units, activation: 'unknown' },
      task: dataset.task,
      loss,
      encoding: targetEncoding(loss, dataset.task, units),
    };
    this.disposeModel();
    this.model = model;
    this.dataset = dataset;
    this.plan = plan;
    this.result = null;
    this.name = undefined;
    return { evaluation: await evaluateModel(this.tf, model, dataset, plan, dataset.test), plan };
  }

  private disposeModel(): void {
    try {
      if (this.run) this.run.dispose();
      else this.model?.dispose();
    } catch {
      // Tensors of a lost WebGL context may refuse to go; they are gone with the context anyway.
    }
    this.run = null;
    this.model = null;
  }

  dispose(): void {
    this.disposeModel();
    this.dataset = null;
    this.plan = null;
  }
}
