/**
 * Messages between the page and the training worker. Requests carry an id; the worker answers
 * each with `reply` (or `fail`). Run events (batch, epoch, state, boundary) flow while a
 * `start` request is open; its reply is the run's end.
 */
import type { Dataset } from '@/lib/datasets/types';
import type { ModelFilesPayload, LoadOutcome, StartRequest, TrainingMemory } from '../engine';
import type { BatchLog, EpochLog, Evaluation, RunEnd, RunState } from '../run';
import type { PerceptronUpdate } from '../perceptron';
import type { BackendName } from '../tf';
import type { BackendSpeeds } from '../backend-pick';
import type { HealthReport } from '../health';
import type { NodeActivations } from '../activations';
import type { LayerWeights } from '../neurons';
import type { WeightEdit } from '../neuron-weights';
import type { GraphDocument } from '@/graph-compiler';

export type WorkerRequest =
  | { id: number; type: 'init'; prefer: BackendName }
  | { id: number; type: 'start'; req: StartRequest }
  | { id: number; type: 'measure'; req: StartRequest; backends: BackendName[] }
  | { id: number; type: 'evaluate' }
  | { id: number; type: 'predict'; x: Float32Array; n: number }
  | { id: number; type: 'memory' }
  | { id: number; type: 'activations'; doc: GraphDocument; seed: number; nodeId: string; x: Float32Array }
  | { id: number; type: 'weights'; doc: GraphDocument; seed: number }
  | { id: number; type: 'set-weight'; doc: GraphDocument; seed: number; edit: WeightEdit }
  | { id: number; type: 'export'; weightsFileName: string }
  | { id: number; type: 'load'; files: File[]; dataset: Dataset }
  | { id: number; type: 'lose-context' }
  | { id: number; type: 'dispose' };

/** Commands that need no answer. */
export type WorkerCommand = { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export interface InitReply {
  backend: BackendName;
  notice?: string;
}

/** What each request type answers with. */
export interface ReplyOf {
  init: InitReply;
  start: RunEnd;
  /** Examples per second of the run's model on each backend asked for. */
  measure: BackendSpeeds;
  /** Null when the evaluation was skipped. */
  evaluate: Evaluation | null;
  predict: Float32Array;
  memory: TrainingMemory;
  activations: NodeActivations;
  /** Null when the graph is not a small dense chain. */
  weights: LayerWeights[] | null;
  'set-weight': LayerWeights[];
  export: ModelFilesPayload;
  load: LoadOutcome;
  'lose-context': null;
  dispose: null;
}

export type WorkerEvent =
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'fail'; id: number; message: string }
  | { type: 'batch'; log: BatchLog }
  | { type: 'epoch'; log: EpochLog }
  | { type: 'state'; state: RunState }
  | { type: 'boundary'; probs: Float32Array; grid: number }
  | { type: 'perceptron'; update: PerceptronUpdate }
  | { type: 'weights'; weights: LayerWeights[] }
  | { type: 'health'; report: HealthReport }
  | { type: 'eval-progress'; fraction: number }
  | { type: 'context-lost'; message: string };
