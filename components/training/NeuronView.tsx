'use client';
/**
 * The neuron view of a small dense network, as TensorFlow Playground draws it: the inputs and
 * every Dense unit as circles in columns, each filled with its output over the plane; the
 * connections as lines whose thickness is |w| (scaled to the largest) and colour its sign
 * (orange negative, blue positive). Hovering (or focusing) a neuron shows its large heatmap and
 * its formula; clicking a connection (or a neuron, for its bias) opens a small editor for that
 * weight. Below, a step-through runs one example forward (W·x + b = z, f(z) = a, the loss) and
 * one step of backpropagation (dL/dz, dL/dW, W − η·dL/dW) with the numbers.
 *
 * `NeuronView` draws given weights; `NeuronCard` binds it to the training session.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { CompileResult, GraphDocument, Optimizer } from '@/graph-compiler';
import type { Dataset } from '@/lib/datasets/types';
import { LOSS_TITLES, type LossName } from '@/lib/training/loss';
import type { WeightEdit } from '@/lib/training/neuron-weights';
import {
  backprop, denseChain, NEURON_MAX_UNITS, neuronMaps, outputRange, planeLattice, targetOf, weightsFit,
  type BackpropStep, type DenseChain, type LayerForward, type LayerWeights, type NeuronLayer,
} from '@/lib/training/neurons';
import { OPTIMIZER_TITLES } from '@/lib/training/optimizer';
import { currentNeuronWeights, useTrainingSession, type Phase } from '@/lib/training/session';
import type { BackendName } from '@/lib/training/tf';
import './neurons.css';

/** The decision boundary's palette: orange (low, negative) through grey to blue (high, positive). */
const ORANGE = [232, 121, 15];
const MID = [232, 234, 235];
const BLUE = [8, 119, 189];
const NEGATIVE = `rgb(${ORANGE.join(',')})`;
const POSITIVE = `rgb(${BLUE.join(',')})`;

function colour(t: number): [number, number, number] {
  const u0 = Math.min(1, Math.max(0, t));
  const [a, b, u] = u0 < 0.5 ? [ORANGE, MID, u0 * 2] : [MID, BLUE, (u0 - 0.5) * 2];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

/** Lattice sizes: the small maps inside the circles, the large one on hover. */
const SMALL_GRID = 20;
const LARGE_GRID = 48;

/** A number as the view writes it: three decimals, a real minus sign. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1000 ? v.toExponential(2) : v.toFixed(3);
  return s.replace('-', '−');
}

/** A sum of terms as one writes it: `a + −b` becomes `a − b`. */
function signedSum(terms: string[]): string {
  return terms.join(' + ').replace(/ \+ −/g, ' − ');
}

/** A factor of a product: negative numbers in parentheses. */
const factor = (v: number) => (v < 0 ? `(${fmt(v)})` : fmt(v));

/** Paints one map (values over [lo, hi]) into a canvas of g×g pixels. */
function paint(canvas: HTMLCanvasElement, values: Float32Array, g: number, [lo, hi]: [number, number]): boolean {
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  canvas.width = g;
  canvas.height = g;
  const img = ctx.createImageData(g, g);
  for (let i = 0; i < g * g; i++) {
    const [r, gr, b] = colour((values[i] - lo) / (hi - lo));
    img.data[4 * i] = r;
    img.data[4 * i + 1] = gr;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return true;
}

/**
 * One map as an uncompressed 24-bit BMP address. The small maps change with the weights while a
 * run trains; encoding them as PNG (canvas.toDataURL) took most of the page's time and left
 * the page behind the training worker, while a BMP is a header and the pixels.
 */
export function heatmapUrl(values: Float32Array, g: number, [lo, hi]: [number, number]): string {
  const row = (3 * g + 3) & ~3;
  const size = 54 + row * g;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42;
  bytes[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, g, true);
  view.setInt32(22, g, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, row * g, true);
  for (let y = 0; y < g; y++) {
    // BMP rows run bottom-up; the map's row 0 is the top of the plane.
    const at = 54 + (g - 1 - y) * row;
    for (let x = 0; x < g; x++) {
      const [r, gr, b] = colour((values[y * g + x] - lo) / (hi - lo));
      bytes[at + 3 * x] = Math.round(b);
      bytes[at + 3 * x + 1] = Math.round(gr);
      bytes[at + 3 * x + 2] = Math.round(r);
    }
  }
  let binary = '';
  for (let i = 0; i < size; i++) binary += String.fromCharCode(bytes[i]);
  return `data:image/bmp;base64,${btoa(binary)}`;
}

/** Each neuron's small heatmap as an image address. */
function heatmapImages(maps: Float32Array[][], chain: DenseChain): string[][] {
  return maps.map((col, k) => col.map((m) => heatmapUrl(m, SMALL_GRID, k === 0 ? [-1, 1] : outputRange(chain.layers[k - 1]))));
}

/** The plane the heatmaps cover: the data set's (model units = original / pointScale). */
export interface Plane {
  domain: [number, number];
  pointScale: number;
}

/** A neuron: column 0 holds the inputs, column k + 1 layer k's units. */
type NeuronRef = { col: number; unit: number };
type Selected = { layer: number; from: number; to: number } | { layer: number; bias: true; to: number };

export interface NeuronViewProps {
  chain: DenseChain;
  weights: readonly LayerWeights[];
  /** For the heatmaps; null when the inputs are not a point of the plane. */
  plane: Plane | null;
  /** Input names (x1, x2, … or a table's columns). */
  inputNames?: readonly string[];
  /** Whether weights may be set now, else why not (e.g. while a run trains). */
  editable: true | string;
  /** A line under the weight editor (e.g. what an edit before training lasts for). */
  editNote?: string;
  /** Sets one weight; resolves with an error message, or null when it was set. */
  onSetWeight(edit: WeightEdit): Promise<string | null>;
  /** The step-through; absent without examples. */
  stepThrough?: StepThroughProps;
}

const unitName = (layer: NeuronLayer, j: number) => (layer.units === 1 ? layer.name : `${layer.name} ${j + 1}`);

/** The formula of a unit: f(w₁·x₁ + … + b) with its numbers. */
function unitFormula(layer: NeuronLayer, w: LayerWeights, j: number, inputs: readonly string[]): string {
  const terms = inputs.map((name, i) => `${fmt(w.kernel[i * layer.units + j])}·${name}`);
  if (w.bias) terms.push(fmt(w.bias[j]));
  return layer.activations.reduceRight((inner, a) => `${a.name}(${inner})`, signedSum(terms));
}

/**
 * The network drawn from `weights`, with hover heatmaps, weight editing and (when given)
 * the step-through.
 */
export function NeuronView({ chain, weights, plane, inputNames, editable, editNote, onSetWeight, stepThrough }: NeuronViewProps) {
  const names = useMemo(() => Array.from({ length: chain.inputs }, (_, i) => inputNames?.[i] ?? `x${i + 1}`), [chain.inputs, inputNames]);
  const columns = [chain.inputs, ...chain.layers.map((l) => l.units)];
  const colNames = (k: number) => (k === 0 ? names : chain.layers[k - 1] ? Array.from({ length: chain.layers[k - 1].units }, (_, j) => unitName(chain.layers[k - 1], j)) : []);
  const tallest = Math.max(...columns);
  const GAP = 46;
  const R = 15;
  const W = 560;
  const H = 26 + (tallest - 1) * GAP + R + 6;
  const x = (col: number) => 46 + (col * (W - 92)) / Math.max(1, columns.length - 1);
  const y = (col: number, unit: number) => 26 + (tallest - columns[col]) * (GAP / 2) + unit * GAP;

  const maxAbs = useMemo(() => Math.max(1e-9, ...weights.flatMap((w) => Array.from(w.kernel, Math.abs))), [weights]);
  const small = useMemo(() => (plane && chain.inputs === 2 ? neuronMaps(chain, weights, planeLattice(plane.domain, plane.pointScale, SMALL_GRID)) : null), [chain, weights, plane]);
  const images = useMemo(() => (small ? heatmapImages(small, chain) : []), [small, chain]);

  const [hover, setHover] = useState<NeuronRef | null>(null);
  const [selected, setSelected] = useState<Selected | null>(null);
  const clip = useId().replace(/:/g, '');

  const keyOpen = (e: KeyboardEvent, open: () => void) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  };

  const lines: ReactNode[] = [];
  chain.layers.forEach((layer, k) => {
    const w = weights[k];
    for (let i = 0; i < layer.inputs; i++) {
      for (let j = 0; j < layer.units; j++) {
        const v = w.kernel[i * layer.units + j];
        const width = 0.6 + (5.4 * Math.abs(v)) / maxAbs;
        const isSel = !!selected && !('bias' in selected) && selected.layer === k && selected.from === i && selected.to === j;
        const label = `Weight from ${colNames(k)[i]} to ${unitName(layer, j)}: ${fmt(v)}`;
        lines.push(
          <g
            key={`${k}-${i}-${j}`}
            className={`lb-neurons__link${isSel ? ' lb-neurons__link--selected' : ''}`}
            role="button"
            tabIndex={0}
            aria-label={label}
            data-testid="neuron-weight"
            data-layer={k}
            data-from={i}
            data-to={j}
            data-weight={v}
            onClick={() => setSelected({ layer: k, from: i, to: j })}
            onKeyDown={(e) => keyOpen(e, () => setSelected({ layer: k, from: i, to: j }))}
          >
            <title>{label}</title>
            <line x1={x(k) + R} y1={y(k, i)} x2={x(k + 1) - R} y2={y(k + 1, j)} stroke={v < 0 ? NEGATIVE : POSITIVE} strokeWidth={width} strokeLinecap="round" className="lb-neurons__line" />
            <line x1={x(k) + R} y1={y(k, i)} x2={x(k + 1) - R} y2={y(k + 1, j)} stroke="transparent" strokeWidth={Math.max(8, width)} />
          </g>,
        );
      }
    }
  });

  const neurons: ReactNode[] = [];
  columns.forEach((n, col) => {
    for (let j = 0; j < n; j++) {
      const layer = col > 0 ? chain.layers[col - 1] : null;
      const img = images[col]?.[j];
      const name = colNames(col)[j];
      const bias = layer ? weights[col - 1].bias?.[j] : undefined;
      const label = layer ? `${name}${bias !== undefined ? `, bias ${fmt(bias)}` : ''}: ${unitFormula(layer, weights[col - 1], j, colNames(col - 1))}` : `Input ${name}`;
      const open = () => layer && bias !== undefined && setSelected({ layer: col - 1, bias: true, to: j });
      neurons.push(
        <g
          key={`n${col}-${j}`}
          className="lb-neurons__neuron"
          data-testid="neuron"
          data-col={col}
          tabIndex={0}
          role={layer && bias !== undefined ? 'button' : 'img'}
          aria-label={label}
          onMouseEnter={() => setHover({ col, unit: j })}
          onFocus={() => setHover({ col, unit: j })}
          onClick={open}
          onKeyDown={(e) => keyOpen(e, open)}
        >
          <title>{label}</title>
          <clipPath id={`${clip}-${col}-${j}`}>
            <circle cx={x(col)} cy={y(col, j)} r={R} />
          </clipPath>
          <circle className="lb-neurons__circle" cx={x(col)} cy={y(col, j)} r={R} />
          {img && <image href={img} x={x(col) - R} y={y(col, j) - R} width={2 * R} height={2 * R} clipPath={`url(#${clip}-${col}-${j})`} preserveAspectRatio="none" />}
          <circle className="lb-neurons__ring" cx={x(col)} cy={y(col, j)} r={R} />
          {col === 0 && (
            <text className="lb-neurons__name" x={x(col) - R - 6} y={y(col, j) + 4} textAnchor="end">
              {name}
            </text>
          )}
        </g>,
      );
    }
  });
  const heads = columns.map((_, col) => (
    <text key={`h${col}`} className="lb-neurons__head" x={x(col)} y={12} textAnchor="middle">
      {col === 0 ? 'input' : chain.layers[col - 1].name}
    </text>
  ));

  return (
    <div className="lb-neurons" data-testid="neuron-view" onMouseLeave={() => setHover(null)}>
      <div className="lb-neurons__row">
        <div className="lb-neurons__net">
          <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="group" aria-label={`The network: ${columns.join('–')} neurons; thickness is |w|, orange negative, blue positive`}>
            {heads}
            {lines}
            {neurons}
          </svg>
          {selected && (
            <WeightEditor
              key={JSON.stringify(selected)}
              chain={chain}
              weights={weights}
              selected={selected}
              names={colNames}
              editable={editable}
              note={editNote}
              onSetWeight={onSetWeight}
              onClose={() => setSelected(null)}
            />
          )}
        </div>
        <NeuronDetail chain={chain} weights={weights} plane={plane} hover={hover} names={colNames} />
      </div>
      <p className="lb-train-note lb-neurons__legend">
        <i style={{ background: NEGATIVE }} /> negative weight <i style={{ background: POSITIVE }} /> positive weight · thickness ∝ |w| (largest {fmt(maxAbs)}) · click a connection, or a neuron for its bias, to set it.
      </p>
      {stepThrough && <StepThrough {...stepThrough} chain={chain} weights={weights} names={names} />}
    </div>
  );
}

/** The hovered neuron's large heatmap and formula. */
function NeuronDetail({ chain, weights, plane, hover, names }: { chain: DenseChain; weights: readonly LayerWeights[]; plane: Plane | null; hover: NeuronRef | null; names(col: number): string[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const target = hover ?? { col: chain.layers.length, unit: 0 };
  const map = useMemo(() => {
    if (!plane || chain.inputs !== 2) return null;
    return neuronMaps(chain, weights, planeLattice(plane.domain, plane.pointScale, LARGE_GRID))[target.col]?.[target.unit] ?? null;
  }, [chain, weights, plane, target.col, target.unit]);
  const [lo, hi] = target.col === 0 ? [-1, 1] : outputRange(chain.layers[target.col - 1]);
  useEffect(() => {
    if (ref.current && map) paint(ref.current, map, LARGE_GRID, [lo, hi]);
  }, [map, lo, hi]);
  const layer = target.col > 0 ? chain.layers[target.col - 1] : null;
  const name = names(target.col)[target.unit];
  return (
    <div className="lb-neurons__detail" data-testid="neuron-detail" aria-live="polite">
      <div className="lb-neurons__detail-title">{hover ? name : `${name} (hover a neuron)`}</div>
      {map && <canvas ref={ref} className="lb-neurons__big" aria-label={`Output of ${name} over the plane`} role="img" />}
      {map && (
        <div className="lb-train-scale__labels lb-neurons__scale">
          <span>{fmt(lo)}</span>
          <span>{fmt(hi)}</span>
        </div>
      )}
      <p className="lb-neurons__formula" data-testid="neuron-formula">
        {layer ? `${name} = ${unitFormula(layer, weights[target.col - 1], target.unit, names(target.col - 1))}` : `${name}: an input, the ${target.unit === 0 ? 'horizontal' : target.unit === 1 ? 'vertical' : `${target.unit + 1}th`} coordinate`}
      </p>
    </div>
  );
}

/** The small editor of one weight: its value, an input (Enter applies), Escape closes. */
function WeightEditor({ chain, weights, selected, names, editable, note, onSetWeight, onClose }: {
  chain: DenseChain; weights: readonly LayerWeights[]; selected: Selected; names(col: number): string[]; editable: true | string; note?: string;
  onSetWeight(edit: WeightEdit): Promise<string | null>; onClose(): void;
}) {
  const layer = chain.layers[selected.layer];
  const w = weights[selected.layer];
  const isBias = 'bias' in selected;
  const value = isBias ? w.bias![selected.to] : w.kernel[selected.from * layer.units + selected.to];
  const [draft, setDraft] = useState(String(Number(value.toPrecision(6))));
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const title = isBias ? `Bias of ${unitName(layer, selected.to)}` : `Weight ${names(selected.layer)[selected.from]} → ${unitName(layer, selected.to)}`;
  const apply = async () => {
    const v = Number(draft.replace('−', '-'));
    if (draft.trim() === '' || !Number.isFinite(v)) return setError('Type a number.');
    const edit: WeightEdit = isBias ? { nodeId: layer.nodeId, bias: true, to: selected.to, value: v } : { nodeId: layer.nodeId, from: selected.from, to: selected.to, value: v };
    const err = await onSetWeight(edit);
    if (err) setError(err);
    else onClose();
  };
  return (
    <div
      className="lb-neurons__popover"
      role="dialog"
      aria-label={title}
      data-testid="weight-popover"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="lb-neurons__popover-head">
        <b>{title}</b>
        <button type="button" className="lb-btn lb-btn--ghost lb-btn--small" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div>
        value <span data-testid="weight-value">{fmt(value)}</span>
      </div>
      {editable === true ? (
        <label className="lb-neurons__popover-field">
          new value
          <input
            ref={input}
            className="lb-input lb-input--num"
            inputMode="decimal"
            value={draft}
            aria-invalid={error ? 'true' : undefined}
            data-testid="weight-input"
            onChange={(e) => {
              setDraft(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void apply();
            }}
          />
        </label>
      ) : (
        <p className="lb-train-note">{editable}</p>
      )}
      {error && <p className="lb-field__msg lb-field__msg--error" role="alert">{error}</p>}
      {note && editable === true && <p className="lb-train-note lb-neurons__popover-note">{note}</p>}
    </div>
  );
}

/** What the step-through needs: the examples and the training settings. */
export interface StepThroughProps {
  /** The training split (features as stored; `xScale` turns them into model inputs). */
  examples: { x: ArrayLike<number>; y: ArrayLike<number>; n: number; xScale: number };
  task: 'classification' | 'regression';
  loss: LossName;
  eta: number;
  optimizer: Optimizer;
}

/** One layer's forward numbers. */
function ForwardLayer({ layer, f, w }: { layer: NeuronLayer; f: LayerForward; w: LayerWeights }) {
  return (
    <div className="lb-neurons__step-layer">
      <h5 className="lb-neurons__step-title">{layer.name}: z = W·x + b, a = {layer.activations.length ? layer.activations.map((a) => a.name).join('∘') : 'linear'}(z)</h5>
      <ul className="lb-neurons__eqs">
        {f.z.map((z, j) => {
          const terms = f.input.map((xi, i) => `${fmt(w.kernel[i * layer.units + j])}·${factor(xi)}`);
          if (w.bias) terms.push(fmt(w.bias[j]));
          return (
            <li key={j} data-testid="step-forward-unit">
              <span className="lb-neurons__eq-name">{unitName(layer, j)}</span> z = {signedSum(terms)} = <b>{fmt(z)}</b>
              {layer.activations.length > 0 && (
                <>
                  {' '}→ a = <b>{fmt(f.a[j])}</b>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** One layer's gradients and update, as a table: rows are the inputs (and the bias), columns the units. */
function BackwardLayer({ layer, k, step, w, names, eta }: { layer: NeuronLayer; k: number; step: BackpropStep; w: LayerWeights; names: string[]; eta: number }) {
  const g = step.layers[k];
  const cell = (old: number, grad: number, now: number) => (
    <>
      <span className="lb-neurons__grad">∇ {fmt(grad)}</span>
      <span>
        {fmt(old)} → <b>{fmt(now)}</b>
      </span>
    </>
  );
  return (
    <div className="lb-neurons__step-layer">
      <h5 className="lb-neurons__step-title">
        {layer.name}: dL/dz = ({g.dZ.map(fmt).join(', ')}); W ← W − {eta}·dL/dW
      </h5>
      <div className="lb-neurons__scroll">
        <table className="lb-neurons__table" data-testid="step-backward-table">
          <thead>
            <tr>
              <th scope="col">from \ to</th>
              {g.dZ.map((_, j) => (
                <th key={j} scope="col">{unitName(layer, j)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((name, i) => (
              <tr key={i}>
                <th scope="row">{name}</th>
                {g.dZ.map((_, j) => (
                  <td key={j}>{cell(w.kernel[i * layer.units + j], g.dW[i * layer.units + j], g.updated.kernel[i * layer.units + j])}</td>
                ))}
              </tr>
            ))}
            {w.bias && g.dB && (
              <tr>
                <th scope="row">bias</th>
                {g.dB.map((d, j) => (
                  <td key={j}>{cell(w.bias![j], d, g.updated.bias![j])}</td>
                ))}
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The forward pass and one backpropagation step for one chosen example, with the numbers. */
function StepThrough({ chain, weights, names, examples, task, loss, eta, optimizer }: StepThroughProps & { chain: DenseChain; weights: readonly LayerWeights[]; names: string[] }) {
  const [index, setIndex] = useState(0);
  const [shown, setShown] = useState<'none' | 'forward' | 'backward'>('none');
  const id = useId();
  const i = Math.min(Math.max(0, index), Math.max(0, examples.n - 1));
  const x = useMemo(() => Array.from({ length: chain.inputs }, (_, k) => examples.x[i * chain.inputs + k] * examples.xScale), [examples, i, chain.inputs]);
  const label = examples.y[i];
  const out = chain.layers[chain.layers.length - 1];
  const target = useMemo(() => targetOf(label, out.units, task), [label, out.units, task]);
  const step = useMemo(() => (shown === 'none' ? null : backprop(chain, weights, x, target, loss, eta)), [shown, chain, weights, x, target, loss, eta]);
  const gradientFree = chain.layers.some((l) => l.activations.some((a) => a.name === 'step'));
  return (
    <section className="lb-neurons__step" aria-label="Step through one example" data-testid="neuron-step">
      <div className="lb-neurons__step-bar">
        <label htmlFor={id} className="lb-neurons__step-label">
          Example
        </label>
        <input
          id={id}
          className="lb-input lb-input--num"
          type="number"
          min={0}
          max={examples.n - 1}
          value={i}
          data-testid="step-index"
          onChange={(e) => setIndex(Math.floor(Number(e.target.value) || 0))}
        />
        <span className="lb-train-aside">of {examples.n.toLocaleString('en-US')} training points</span>
        <button type="button" className="lb-btn lb-btn--small" onClick={() => setIndex((i + 1) % Math.max(1, examples.n))} data-testid="step-next">
          Next example
        </button>
        <button type="button" className="lb-btn lb-btn--small" aria-pressed={shown !== 'none'} onClick={() => setShown('forward')} data-testid="step-forward">
          Forward
        </button>
        <button type="button" className="lb-btn lb-btn--small" aria-pressed={shown === 'backward'} onClick={() => setShown('backward')} data-testid="step-backward">
          Backward
        </button>
      </div>
      {optimizer !== 'sgd' && (
        <p className="lb-train-note">
          This run trains with {OPTIMIZER_TITLES[optimizer]}; the step shown here is the course&apos;s plain gradient step, W − η·dL/dW with η = {eta}.
        </p>
      )}
      {step && (
        <div className="lb-neurons__step-body" data-testid="step-numbers">
          <p className="lb-neurons__step-x">
            x = ({x.map((v, k) => `${names[k]} = ${fmt(v)}`).join(', ')}), target {task === 'classification' ? `class ${label} (y = ${out.units > 1 ? `one-hot ${target.join(' ')}` : label})` : `y = ${fmt(label)}`}
          </p>
          {chain.layers.map((layer, k) => (
            <ForwardLayer key={layer.nodeId} layer={layer} f={step.forward[k]} w={weights[k]} />
          ))}
          <p className="lb-neurons__loss" data-testid="step-loss">
            {LOSS_TITLES[loss]}: L = <b>{fmt(step.loss)}</b>
            {step.penalty > 0 && ` (with the kernel penalty ${fmt(step.penalty)})`} · dL/da = ({step.dOutput.map(fmt).join(', ')})
          </p>
          {shown === 'backward' && (
            <>
              {gradientFree && <p className="lb-train-note">A step activation has gradient 0 everywhere: nothing flows back through it (the perceptron rule trains it instead).</p>}
              {[...chain.layers.keys()].reverse().map((k) => (
                <BackwardLayer key={k} k={k} layer={chain.layers[k]} step={step} w={weights[k]} eta={eta} names={k === 0 ? names : Array.from({ length: chain.layers[k - 1].units }, (_, j) => unitName(chain.layers[k - 1], j))} />
              ))}
              <p className="lb-train-note">Dropout is off in this step (as at prediction time); each ∇ is dL/dw for this one example, and the new value is w − η·∇.</p>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** The session-bound card's props: the graph, its settings, and the data set to draw from. */
export interface NeuronCardProps {
  doc: GraphDocument;
  result: CompileResult;
  seed: number;
  dataset: Dataset | null;
  loss: LossName | null;
  eta: number;
  optimizer: Optimizer;
  preferBackend: BackendName;
}

/**
 * The neuron view bound to the training session: the untrained graph's weights (once
 * TensorFlow.js is loaded), the run's snapshots while it trains, the trained model's after.
 * Renders nothing for a graph that is not a small dense chain.
 */
export function NeuronCard({ doc, result, seed, dataset, loss, eta, optimizer, preferBackend }: NeuronCardProps) {
  const check = useMemo(() => denseChain(result), [result]);
  // A dense chain the view could draw but for its width (the Spiral MLP's 64 units): say so.
  const tooWide = useMemo(() => !check.chain && denseChain(result, Infinity).chain !== null, [check, result]);
  const phase: Phase = useTrainingSession((s) => s.phase);
  const version = useTrainingSession((s) => s.neuronVersion);
  const loaded = useTrainingSession((s) => s.backend !== null);
  // A model loaded from files: the view draws it when its layers are this graph's.
  const fromFile = useTrainingSession((s) => (s.evaluationSource === 'file' ? s.modelName ?? 'the loaded model' : null));
  const [asked, setAsked] = useState(false);
  const settled = phase === 'idle' || phase === 'finished' || phase === 'paused' || phase === 'running';
  useEffect(() => {
    if (check.chain && settled && (loaded || asked)) void useTrainingSession.getState().loadNeuronWeights(doc, seed, preferBackend);
  }, [check.chain, doc, seed, phase, loaded, asked, fromFile]); // eslint-disable-line react-hooks/exhaustive-deps
  const weights = useMemo(() => currentNeuronWeights(), [version]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!check.chain) {
    if (!tooWide) return null;
    return (
      <section className="lb-train-card" aria-label="Neurons" data-testid="neuron-card">
        <div className="lb-train-card__head">
          <h3 className="lb-section-title">Neurons</h3>
        </div>
        <div className="lb-train-card__body">
          <p className="lb-train-note" style={{ marginTop: 0 }} data-testid="neuron-too-wide">
            {check.reason} With at most {NEURON_MAX_UNITS} inputs and units a layer, this card draws every neuron, its weights and its output over the plane, as TensorFlow Playground does; the Playground circle template (2-8-8-1) is one.
          </p>
        </div>
      </section>
    );
  }
  const chain = check.chain;
  const fits = weights && weightsFit(chain, weights);
  const plane = dataset?.kind === 'points' && dataset.domain ? { domain: dataset.domain, pointScale: dataset.pointScale ?? 1 } : null;
  const usable = dataset && dataset.featureShape.length === 1 && dataset.featureShape[0] === chain.inputs && dataset.train.n > 0;
  const editable: true | string = phase === 'running' || phase === 'stopping' ? 'Pause the run to set a weight.' : phase === 'preparing' || phase === 'evaluating' ? 'Wait for the run to finish.' : true;
  return (
    <section className="lb-train-card" aria-label="Neurons" data-testid="neuron-card">
      <div className="lb-train-card__head">
        <h3 className="lb-section-title">Neurons</h3>
        <span className="lb-train-aside">{phase === 'running' ? 'updating at each epoch' : phase === 'idle' ? 'the weights the seed draws, before training' : fromFile ? (fits ? `the weights of ${fromFile}` : `${fromFile} loaded`) : 'the current weights'}</span>
      </div>
      <div className="lb-train-card__body">
        {fits ? (
          <NeuronView
            chain={chain}
            weights={weights}
            plane={plane}
            inputNames={dataset?.featureNames}
            editable={editable}
            editNote={phase === 'idle' ? 'Start trains from the weights shown here, your edits included.' : undefined}
            onSetWeight={(edit) => useTrainingSession.getState().setNeuronWeight(doc, seed, edit)}
            stepThrough={usable && loss ? { examples: { x: dataset.train.x, y: dataset.train.y, n: dataset.train.n, xScale: dataset.xScale }, task: dataset.task, loss, eta, optimizer } : undefined}
          />
        ) : fromFile && !weights && version > 0 ? (
          <p className="lb-train-note" style={{ marginTop: 0 }} data-testid="neuron-not-this-graph">
            {fromFile} is evaluated, but its layers are not this graph&apos;s, so its weights are not drawn here. Open the graph it was exported from to see them.
          </p>
        ) : loaded || asked ? (
          <p className="lb-train-note" style={{ marginTop: 0 }}>Reading the weights…</p>
        ) : (
          <div className="lb-neurons__start">
            <p className="lb-train-note" style={{ marginTop: 0 }}>
              Every neuron of this network, its weights and its output over the plane. The view reads the model&apos;s weights, so it needs TensorFlow.js.
            </p>
            <button type="button" className="lb-btn" data-testid="neuron-load" onClick={() => setAsked(true)}>
              Show the starting weights
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
