/**
 * The run history of the overfitting lab: the last few finished runs, each labelled by what
 * changed against the run before it ("Dropout 0.5 added after dense_1", "L2 0.001 in dense_1",
 * "early stopping (patience 10)"), and the gap between its training and validation figures.
 * Pure: no tfjs, no React; the session keeps the list and the run-compare card draws it.
 */
import { layerByType, type GraphDocument, type GraphNode, type TrainingSettings } from '@/graph-compiler';
import type { EndReason, EpochLog } from './run';

/** How many runs the history keeps. */
export const MAX_RUNS = 4;

/**
 * One epoch of a kept run: what the comparison plots and tabulates. `loss` is the running
 * training loss (with the L1/L2 penalty and Dropout's noise); `trainEvalLoss` the training set
 * measured in inference mode at the epoch's end, as the validation set is.
 */
export type RunPoint = Pick<EpochLog, 'epoch' | 'loss' | 'acc' | 'valLoss' | 'valAcc' | 'trainEvalLoss' | 'trainEvalAcc'>;

/** What a finished run leaves for the comparison. */
export interface RunInput {
  doc: GraphDocument;
  settings: TrainingSettings;
  epochs: readonly RunPoint[];
  reason: EndReason;
  /** The epoch early stopping found best (absent without early stopping). */
  bestEpoch?: number;
  /** Whether the model went back to the best epoch's weights. */
  restoredBest: boolean;
}

/** A run the history keeps. */
export interface KeptRun extends RunInput {
  /** 1-based, in the order runs were trained this session. */
  id: number;
  /** What changed against the run trained before it; "baseline" for the first. */
  label: string;
  /** The run's colour slot, 0 to MAX_RUNS - 1: none two kept runs share. */
  colour: number;
  /** A pinned run is never dropped to make room. */
  pinned: boolean;
}

/**
 * Training and validation figures at one epoch and their gaps: validation minus training loss,
 * training minus validation accuracy (both positive when the model fits its training set
 * better). The training figures are the clean ones (inference mode, no penalty) when the run
 * measured them, else the running ones.
 */
export interface GapAt {
  epoch: number;
  train: number;
  val: number;
  gap: number;
  /** Whether the training figures are the clean ones. */
  clean: boolean;
  /** Classification only. */
  trainAcc?: number;
  valAcc?: number;
  accGap?: number;
}

/** The run's gaps: at its last epoch, and at the best epoch when early stopping restored it. */
export interface RunGaps {
  final: GapAt | null;
  best: GapAt | null;
}

function gapAt(p: RunPoint | undefined): GapAt | null {
  if (!p || p.valLoss === undefined || !Number.isFinite(p.valLoss)) return null;
  const clean = p.trainEvalLoss !== undefined;
  const train = clean ? p.trainEvalLoss! : p.loss;
  if (!Number.isFinite(train)) return null;
  const trainAcc = clean ? p.trainEvalAcc : p.acc;
  const accGap = trainAcc !== undefined && p.valAcc !== undefined ? trainAcc - p.valAcc : undefined;
  return { epoch: p.epoch, train, val: p.valLoss, gap: p.valLoss - train, clean, trainAcc, valAcc: p.valAcc, accGap };
}

/** The gaps between training and validation figures; null without a validation split. */
export function runGaps(run: Pick<RunInput, 'epochs' | 'bestEpoch' | 'restoredBest'>): RunGaps {
  const final = gapAt(run.epochs[run.epochs.length - 1]);
  const best = run.restoredBest && run.bestEpoch !== undefined ? gapAt(run.epochs.find((e) => e.epoch === run.bestEpoch)) : null;
  return { final, best };
}

/** A number as a person writes it: 0.001, 64, 0.5 (no float noise such as 0.30000000000000004). */
export function fmtValue(v: unknown): string {
  if (v === undefined || v === null) return 'none';
  if (typeof v === 'number') return Number.isFinite(v) ? String(+v.toPrecision(6)) : String(v);
  if (typeof v === 'string') return v.length > 24 ? `${v.slice(0, 23)}…` : v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.length > 6 ? `[${v.slice(0, 6).join(', ')}, …]` : `[${v.join(', ')}]`;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

/** A node's name as the canvas shows it. */
const nameOf = (n: GraphNode) => n.label || n.id;

/** Param names as the course writes them; others keep their document name. */
const PARAM_TITLES: Record<string, string> = { l1: 'L1', l2: 'L2', rate: 'dropout rate', units: 'units', activation: 'activation', filters: 'filters' };

/** Training settings as the panel names them, in the order a label lists them. */
const SETTING_TITLES: [keyof TrainingSettings, string][] = [
  ['dataset', 'data set'],
  ['samples', 'points'],
  ['noise', 'noise'],
  ['trainRatio', 'train ratio'],
  ['validationSplit', 'validation split'],
  ['optimizer', 'optimizer'],
  ['learningRate', 'learning rate'],
  ['momentum', 'momentum'],
  ['loss', 'loss'],
  ['batchSize', 'batch size'],
  ['epochs', 'epochs'],
  ['seed', 'seed'],
  ['task', 'task'],
  ['labelColumn', 'label column'],
];

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A param's value with its layer's documented default filled in (an absent l2 is 0). */
function paramValue(n: GraphNode, key: string): unknown {
  const v = n.params?.[key];
  if (v !== undefined) return v;
  return layerByType(n.type)?.params[key]?.default;
}

/** The one figure that says most about a layer: a Dropout's rate, a Dense's units. */
function keyFigure(n: GraphNode): string {
  const key = n.type === 'Dropout' ? 'rate' : n.type === 'Dense' ? 'units' : n.type === 'Conv2D' ? 'filters' : null;
  const v = key ? paramValue(n, key) : undefined;
  return v === undefined ? n.type : `${n.type} ${fmtValue(v)}`;
}

/** The names of the nodes that feed `id` in `doc`. */
function feeders(doc: GraphDocument, id: string, byId: Map<string, GraphNode>): string[] {
  return doc.edges.filter((e) => e.target === id).map((e) => byId.get(e.source)).filter((n): n is GraphNode => !!n).map(nameOf);
}

const list = (names: string[]) => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`);

/** What changed in the graph, one phrase per change (a rename alone is not a change). */
function graphChanges(prev: GraphDocument, next: GraphDocument): string[] {
  const before = new Map(prev.nodes.map((n) => [n.id, n]));
  const after = new Map(next.nodes.map((n) => [n.id, n]));
  const out: string[] = [];
  for (const n of next.nodes) {
    if (before.has(n.id)) continue;
    const from = feeders(next, n.id, after);
    out.push(`${keyFigure(n)} added${from.length ? ` after ${list(from)}` : ''}`);
  }
  for (const n of prev.nodes) {
    if (after.has(n.id)) continue;
    const from = feeders(prev, n.id, before);
    out.push(`${keyFigure(n)} removed${from.length ? ` after ${list(from)}` : ''}`);
  }
  // The same param changed the same way in several layers is one change: "L2 0.001 in dense_1 and dense_2".
  const groups = new Map<string, { phrase: string; names: string[] }>();
  for (const n of next.nodes) {
    const old = before.get(n.id);
    if (!old) continue;
    if (old.type !== n.type) {
      out.push(`${nameOf(n)} ${old.type} → ${n.type}`);
      continue;
    }
    const keys = new Set([...Object.keys(old.params ?? {}), ...Object.keys(n.params ?? {})]);
    for (const key of keys) {
      const a = paramValue(old, key);
      const b = paramValue(n, key);
      if (same(a, b)) continue;
      const title = PARAM_TITLES[key] ?? key;
      const regular = key === 'l1' || key === 'l2';
      const phrase = regular && !a ? `${title} ${fmtValue(b)}` : regular && !b ? `${title} off` : `${title} ${fmtValue(a)} → ${fmtValue(b)}`;
      const g = groups.get(phrase) ?? { phrase, names: [] };
      g.names.push(nameOf(n));
      groups.set(phrase, g);
    }
  }
  for (const g of groups.values()) out.push(`${g.phrase} in ${list(g.names)}`);
  const edgeKey = (d: GraphDocument) => d.edges.map((e) => `${e.source}→${e.target}`).sort().join('|');
  // Adding or removing a node rewires its neighbours: only other rewiring is worth a phrase.
  if (out.length === 0 && edgeKey(prev) !== edgeKey(next)) out.push('connections changed');
  return out;
}

/** What changed in the training settings, one phrase per change. */
function settingChanges(prev: TrainingSettings, next: TrainingSettings): string[] {
  const out: string[] = [];
  const a = prev.earlyStopping;
  const b = next.earlyStopping;
  if (!a.enabled && b.enabled) out.push(`early stopping (patience ${b.patience})`);
  else if (a.enabled && !b.enabled) out.push('early stopping off');
  else if (b.enabled) {
    if (a.patience !== b.patience) out.push(`early stopping patience ${a.patience} → ${b.patience}`);
    if (a.monitor !== b.monitor) out.push(`early stopping watches ${b.monitor}`);
    if (a.restoreBestWeights !== b.restoreBestWeights) out.push(b.restoreBestWeights ? 'early stopping restores the best weights' : 'early stopping keeps the last weights');
  }
  for (const [key, title] of SETTING_TITLES) {
    if (!same(prev[key], next[key])) out.push(`${title} ${fmtValue(prev[key])} → ${fmtValue(next[key])}`);
  }
  return out;
}

/** Every change from one run's set-up to the next's, graph first. */
export function runChanges(prev: Pick<RunInput, 'doc' | 'settings'>, next: Pick<RunInput, 'doc' | 'settings'>): string[] {
  return [...graphChanges(prev.doc, next.doc), ...settingChanges(prev.settings, next.settings)];
}

/** Changes a label spells out; more are counted, not listed. */
const LISTED = 3;

/** The label of a run: "baseline", the one change, "2 changes: a; b", or "no change". */
export function runLabel(prev: Pick<RunInput, 'doc' | 'settings'> | null, next: Pick<RunInput, 'doc' | 'settings'>): string {
  if (!prev) return 'baseline';
  const changes = runChanges(prev, next);
  if (changes.length === 0) return 'no change';
  if (changes.length === 1) return changes[0];
  const shown = changes.slice(0, LISTED).join('; ');
  return `${changes.length} changes: ${shown}${changes.length > LISTED ? `; +${changes.length - LISTED} more` : ''}`;
}

/**
 * The history with `run` added, labelled against the latest kept run: at most `max` runs, the
 * oldest unpinned dropping first (the oldest of all when every kept run is pinned), so that the
 * run just trained is always shown.
 */
export function keepRun(runs: readonly KeptRun[], run: RunInput, max = MAX_RUNS): KeptRun[] {
  const prev = runs[runs.length - 1] ?? null;
  const kept = [...runs];
  while (kept.length >= max) {
    const i = kept.findIndex((r) => !r.pinned);
    kept.splice(i >= 0 ? i : 0, 1);
  }
  const used = new Set(kept.map((r) => r.colour));
  const colour = Array.from({ length: max }, (_, i) => i).find((i) => !used.has(i)) ?? 0;
  const id = Math.max(0, ...runs.map((r) => r.id)) + 1;
  const epochs = run.epochs.map(({ epoch, loss, acc, valLoss, valAcc, trainEvalLoss, trainEvalAcc }) => ({ epoch, loss, acc, valLoss, valAcc, trainEvalLoss, trainEvalAcc }));
  return [...kept, { ...run, epochs, id, label: runLabel(prev, run), colour, pinned: false }];
}
