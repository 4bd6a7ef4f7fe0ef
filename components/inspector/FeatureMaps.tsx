'use client';
/**
 * A node's output for one example of the run's data set (test id `feature-maps`): a grid of
 * small grayscale maps, one per channel, for an image-shaped output (convolution, pooling),
 * bars for a vector (dense), with the values' range. The weights are the run's when one trained
 * this graph, else the untrained ones the document's seed draws. TensorFlow.js is asked for
 * only when the student opens the section or a model is already loaded; requests wait for the
 * selection (and the sample) to settle.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkTraining, type GraphDocument } from '@/graph-compiler';
import { loadDataset } from '@/lib/datasets/services';
import type { Dataset } from '@/lib/datasets/types';
import { preferredBackend, useBackendChoice } from '@/lib/training/host';
import type { NodeActivations } from '@/lib/training/activations';
import { useTrainingSession } from '@/lib/training/session';
import { useEditorStore } from '@/lib/store';
import './lessons.css';

/** Maps drawn at most; the rest are counted. */
export const MAX_MAPS = 64;
/** Bars drawn at most for a vector output. */
export const MAX_BARS = 64;
/** A map larger than this many pixels a side is drawn from every k-th pixel. */
const MAX_SIDE = 48;
/** How long the selection and the sample must stay put before a request goes out. */
const DEBOUNCE_MS = 200;

/** Whether the student asked for feature maps (kept while the selection moves). */
let opened = false;
/** The example shown, kept across selections. */
let lastSample = 0;
/** Phases in which the training host answers at once. */
const QUIET = new Set(['idle', 'paused', 'finished']);
const datasets = new Map<string, Promise<Dataset>>();

/** The data set the document trains on, loaded once per page (the run's when it has one). */
function datasetFor(doc: GraphDocument, inputShape: number[]): Promise<Dataset> {
  const session = useTrainingSession.getState();
  if (session.dataset && session.dataset.featureShape.join() === inputShape.join()) return Promise.resolve(session.dataset);
  const { settings } = checkTraining(doc.training);
  const key = `${settings.dataset} ${inputShape.join()}`;
  let p = datasets.get(key);
  if (!p) {
    p = loadDataset(settings, session.upload, inputShape, { detail: () => undefined, progress: () => undefined });
    datasets.set(key, p);
    p.catch(() => datasets.delete(key));
  }
  return p;
}

/** Test example `i` in model units. */
function example(ds: Dataset, i: number): Float32Array {
  const size = ds.featureShape.reduce((a, b) => a * b, 1);
  return Float32Array.from(ds.test.x.subarray(i * size, (i + 1) * size), (v) => v * ds.xScale);
}

function sampleLabel(ds: Dataset, i: number): string {
  const y = ds.test.y[i];
  if (ds.kind === 'points') {
    const s = ds.pointScale ?? 1;
    const x = ds.test.x;
    return `point (${(x[2 * i] * s).toFixed(2)}, ${(x[2 * i + 1] * s).toFixed(2)}), class ${ds.classNames[y] ?? y}`;
  }
  return ds.task === 'classification' ? `label ${ds.classNames[y] ?? y}` : `target ${y.toFixed(3)}`;
}

/** One channel of an [h, w, c] output, every `k`-th pixel, scaled from [lo, hi] to black–white. */
function MapCanvas({ a, channel, lo, hi }: { a: NodeActivations; channel: number; lo: number; hi: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = a.shape.length === 3 ? a.shape : [a.shape[0], a.shape[1], 1];
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ref.current || !ctx) return;
    const k = Math.ceil(Math.max(h, w) / MAX_SIDE);
    const dh = Math.ceil(h / k);
    const dw = Math.ceil(w / k);
    ref.current.width = dw;
    ref.current.height = dh;
    const img = ctx.createImageData(dw, dh);
    const span = hi - lo || 1;
    for (let y = 0; y < dh; y++) {
      for (let x = 0; x < dw; x++) {
        const v = a.values[(y * k * w + x * k) * c + channel];
        const g = Math.round((255 * (v - lo)) / span);
        img.data.set([g, g, g, 255], 4 * (y * dw + x));
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [a, channel, lo, hi, h, w, c]);
  return <canvas ref={ref} title={`channel ${channel + 1}`} aria-label={`channel ${channel + 1}`} role="img" />;
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : +v.toPrecision(3)).toString();

function Maps({ a }: { a: NodeActivations }) {
  const { lo, hi } = useMemo(() => {
    let l = Infinity;
    let h = -Infinity;
    for (const v of a.values) {
      if (v < l) l = v;
      if (v > h) h = v;
    }
    return { lo: l, hi: h };
  }, [a]);
  const range = (
    <p className="lb-fmaps__note">
      values from <span className="lb-mono">{num(lo)}</span> to <span className="lb-mono">{num(hi)}</span>
      {a.shape.length >= 2 ? ' (black to white, the same scale for every map)' : ''}
    </p>
  );
  if (a.shape.length === 1) {
    const n = a.shape[0];
    const l = Math.min(0, lo);
    const span = Math.max(0, hi) - l || 1;
    const zero = (-l / span) * 100;
    return (
      <div data-kind="bars">
        <div className="lb-fmaps__bars">
          {Array.from(a.values.subarray(0, MAX_BARS), (v, i) => (
            <div key={i} className="lb-fmaps__row">
              <span>{i}</span>
              <span className="lb-fmaps__track">
                <span className={`lb-fmaps__fill${v < 0 ? ' is-neg' : ''}`} style={{ left: `${Math.min(zero, zero + (v / span) * 100)}%`, width: `${(Math.abs(v) / span) * 100}%` }} />
                <span className="lb-fmaps__zero" style={{ left: `${zero}%` }} />
              </span>
              <span>{num(v)}</span>
            </div>
          ))}
        </div>
        {n > MAX_BARS && <p className="lb-fmaps__note">+{n - MAX_BARS} more values</p>}
        {range}
      </div>
    );
  }
  const channels = a.shape.length === 3 ? a.shape[2] : 1;
  return (
    <div data-kind="maps">
      <div className="lb-fmaps__grid">
        {Array.from({ length: Math.min(channels, MAX_MAPS) }, (_, ch) => (
          <MapCanvas key={ch} a={a} channel={ch} lo={lo} hi={hi} />
        ))}
      </div>
      {channels > MAX_MAPS && <p className="lb-fmaps__note">+{channels - MAX_MAPS} more maps</p>}
      {range}
    </div>
  );
}

export interface FeatureMapsProps {
  nodeId: string;
  /** The node's output shape as the compiler worked it out. */
  shape: readonly number[];
}

/** The "Output for sample N" section of the inspector. */
export function FeatureMaps({ nodeId, shape }: FeatureMapsProps) {
  const doc = useEditorStore((s) => s.doc);
  const result = useEditorStore((s) => s.result);
  const hasModel = useTrainingSession((s) => s.hasModel);
  const phase = useTrainingSession((s) => s.phase);
  const [asked, setAsked] = useState(opened);
  // A loaded model means TensorFlow.js is there already: the maps show without asking.
  const open = asked || hasModel;
  const [sample, setSample] = useState(lastSample);
  const [ds, setDs] = useState<Dataset | null>(null);
  const [out, setOut] = useState<NodeActivations | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Moving a node changes no output: requests follow the layers, not their positions.
  const graph = useMemo(() => JSON.stringify([doc.nodes.map((n) => [n.id, n.type, n.params]), doc.edges, doc.training]), [doc]);
  const inputShape = result.inputs.length === 1 ? result.nodes[result.inputs[0]]?.outputShape : null;
  const ready = result.ok && !!inputShape;

  useEffect(() => {
    // A run's worker is busy while it trains or evaluates: the maps follow once it pauses or ends.
    if (!open || !ready || !QUIET.has(phase)) return;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const data = await datasetFor(doc, inputShape!);
        if (!live) return;
        const i = Math.max(0, Math.min(data.test.n - 1, sample));
        const seed = checkTraining(doc.training).settings.seed;
        const a = await useTrainingSession.getState().activations(doc, seed, nodeId, example(data, i), preferredBackend(useBackendChoice.getState().choice));
        if (!live) return;
        setDs(data);
        setOut(a);
        setError(null);
      } catch (err) {
        if (live) setError(err instanceof Error ? err.message : String(err));
      }
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, ready, graph, nodeId, sample, phase, hasModel]); // eslint-disable-line react-hooks/exhaustive-deps

  const n = ds?.test.n ?? 0;
  return (
    <section className="lb-inspector__section lb-fmaps" data-testid="feature-maps" data-state={out ? (out.trained ? 'trained' : 'untrained') : open ? 'loading' : 'closed'}>
      <h3 className="lb-section-title">Output for sample {sample}</h3>
      {!open ? (
        <>
          <p className="lb-fmaps__note">What this layer computes for one example of the data set, with the current weights ({shape.length >= 2 ? 'one map per channel' : 'one bar per value'}). Loads TensorFlow.js.</p>
          <button
            type="button"
            className="lb-btn"
            disabled={!ready}
            title={ready ? undefined : 'The graph needs one Input and no errors'}
            onClick={() => {
              opened = true;
              setAsked(true);
            }}
          >
            Show feature maps
          </button>
        </>
      ) : (
        <>
          <div className="lb-fmaps__bar">
            <label>
              Test example{' '}
              <input
                type="number"
                className="lb-input lb-input--num"
                min={0}
                max={n ? n - 1 : undefined}
                step={1}
                value={sample}
                onChange={(e) => {
                  const v = Math.max(0, Math.floor(Number(e.target.value) || 0));
                  lastSample = v;
                  setSample(v);
                }}
                aria-label="Test example index"
                data-testid="feature-maps-sample"
              />
            </label>
            {ds && sample < n && <span className="lb-muted">{sampleLabel(ds, sample)}</span>}
          </div>
          {error ? (
            <p className="lb-kernel__error" role="alert">{error}</p>
          ) : out ? (
            <>
              <p className="lb-fmaps__note">
                <span className="lb-mono">[{out.shape.join(', ')}]</span> · {out.trained ? 'the trained weights' : 'untrained weights (the seed’s), before any run'}
                {QUIET.has(phase) ? '' : ' · refreshed when the run pauses or ends'}
              </p>
              <Maps a={out} />
            </>
          ) : (
            <p className="lb-fmaps__note">{QUIET.has(phase) ? 'Computing…' : 'Shown when the run pauses or ends.'}</p>
          )}
        </>
      )}
    </section>
  );
}
