'use client';
/**
 * Evaluation on the held-out test split: accuracy and loss, the confusion matrix, and a grid
 * of test predictions with the mistakes marked. Also the epoch log (with tf.memory's tensor
 * count at every epoch end: a flat column means no leak).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Dataset } from '@/lib/datasets/types';
import { formatMonitored, type EpochLog, type Evaluation as EvaluationResult, type MonitoredBest } from '@/lib/training/run';
import { formatDuration } from './RunBar';

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * The run's figures. `monitored` is what early stopping watched: its best value is the card,
 * in the words and with the value the end message uses; without it the card is the best
 * validation accuracy.
 */
export function StatsRow({ evaluation, epochs, elapsedMs, monitored }: { evaluation: EvaluationResult | null; epochs: EpochLog[]; elapsedMs: number | null; monitored?: MonitoredBest }) {
  const best = epochs.reduce<EpochLog | null>((b, e) => (e.valAcc !== undefined && (!b || (b.valAcc ?? -1) < e.valAcc) ? e : b), null);
  const card = monitored
    ? { value: formatMonitored(monitored.monitor, monitored.value), label: `Best ${monitored.title} (epoch ${monitored.epoch})` }
    : best?.valAcc !== undefined
      ? { value: pct(best.valAcc), label: `Best validation accuracy (epoch ${best.epoch})` }
      : { value: epochs.length ? epochs[epochs.length - 1].loss.toFixed(4) : '—', label: 'Last training loss' };
  return (
    <div className="lb-train-stats">
      <div className="lb-train-stat">
        <div className="lb-train-stat__value" data-testid="test-accuracy">
          {pct(evaluation?.accuracy)}
        </div>
        <div className="lb-train-stat__label">Test accuracy</div>
      </div>
      <div className="lb-train-stat">
        <div className="lb-train-stat__value" data-testid="test-loss">
          {evaluation ? evaluation.loss.toFixed(4) : '—'}
        </div>
        <div className="lb-train-stat__label">Test loss</div>
      </div>
      {evaluation?.mae !== undefined && (
        <div className="lb-train-stat">
          <div className="lb-train-stat__value" data-testid="test-mae">
            {evaluation.mae.toPrecision(4)}
          </div>
          <div className="lb-train-stat__label">Test mean abs. error</div>
        </div>
      )}
      <div className="lb-train-stat">
        <div className="lb-train-stat__value" data-testid="best-monitored">{card.value}</div>
        <div className="lb-train-stat__label">{card.label}</div>
      </div>
      <div className="lb-train-stat">
        <div className="lb-train-stat__value">{elapsedMs ? formatDuration(elapsedMs) : '—'}</div>
        <div className="lb-train-stat__label">Training time</div>
      </div>
    </div>
  );
}

export function ConfusionMatrix({ confusion, classNames }: { confusion: number[][]; classNames: string[] }) {
  const k = classNames.length;
  if (k > 20) return <p className="lb-train-note">{k} classes are too many for a readable matrix.</p>;
  return (
    <table className="lb-train-confusion" data-testid="confusion-matrix">
      <caption>Rows: true class · columns: predicted class · the diagonal is right.</caption>
      <thead>
        <tr>
          <th className="lb-train-axis">true ↓ / predicted →</th>
          {classNames.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr key={classNames[i]}>
              <th scope="row">{classNames[i]}</th>
              {row.map((v, j) => {
                const a = v / total;
                const diag = i === j;
                const alpha = v === 0 ? 0 : diag ? 0.12 + 0.88 * a : Math.min(1, 0.15 + 2.5 * a);
                const bg = diag ? `rgba(8, 119, 189, ${alpha})` : `rgba(179, 38, 30, ${alpha})`;
                return (
                  <td key={j} style={{ background: v ? bg : 'var(--color-surface-muted)', color: alpha > 0.55 ? '#fff' : v ? 'var(--color-text)' : 'var(--color-text-faint)' }} title={`true ${classNames[i]}, predicted ${classNames[j]}: ${v}`}>
                    {v}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Tile({ dataset, index, label, wrong, title }: { dataset: Dataset; index: number; label: string; wrong: boolean; title: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = dataset.featureShape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    const per = h * w * c;
    const x = dataset.test.x;
    const k = dataset.xScale === 1 ? 255 : 1;
    for (let p = 0; p < h * w; p++) {
      const base = index * per + p * c;
      const r = x[base] * k;
      img.data[4 * p] = r;
      img.data[4 * p + 1] = c === 3 ? x[base + 1] * k : r;
      img.data[4 * p + 2] = c === 3 ? x[base + 2] * k : r;
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [dataset, index, h, w, c]);
  return (
    <figure className="lb-train-pred" data-wrong={wrong} title={title} style={{ margin: 0 }}>
      <canvas ref={ref} width={w} height={h} />
      <figcaption className="lb-train-pred__label">{label}</figcaption>
    </figure>
  );
}

const GRID_SIZE = 48;

export function PredictionGrid({ evaluation, dataset }: { evaluation: EvaluationResult; dataset: Dataset }) {
  const [only, setOnly] = useState<'all' | 'mistakes'>('all');
  const names = dataset.classNames;
  const items = useMemo(() => {
    const out: number[] = [];
    for (let i = 0; i < evaluation.n && out.length < GRID_SIZE; i++) {
      if (only === 'mistakes' && evaluation.predicted[i] === dataset.test.y[i]) continue;
      out.push(i);
    }
    return out;
  }, [evaluation, dataset, only]);
  const mistakes = evaluation.n - Math.round((evaluation.accuracy ?? 0) * evaluation.n);

  if (dataset.kind === 'table' || dataset.kind === 'points') {
    const t = dataset.target;
    const show = (v: number, stored: boolean) => (dataset.task === 'regression' ? (stored && t ? v * t.std + t.mean : v).toPrecision(4) : names[v] ?? String(v));
    return (
      <table className="lb-train-table" data-testid="prediction-grid">
        <thead>
          <tr>
            <th>Test row</th>
            <th>True</th>
            <th>Predicted</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: Math.min(10, evaluation.n) }, (_, i) => {
            const truth = dataset.test.y[i];
            const pred = evaluation.predicted[i];
            const wrong = dataset.task === 'classification' && pred !== truth;
            return (
              <tr key={i} data-wrong={wrong}>
                <td>{i + 1}</td>
                <td>{show(truth, true)}</td>
                <td>
                  {show(pred, false)}
                  {wrong ? ' ✗' : dataset.task === 'classification' ? ' ✓' : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    );
  }

  return (
    <div>
      <div className="lb-inline" style={{ marginBottom: 8 }}>
        <div className="lb-train-toggle" role="group" aria-label="Which test examples">
          <button type="button" aria-pressed={only === 'all'} onClick={() => setOnly('all')}>
            First {GRID_SIZE}
          </button>
          <button type="button" aria-pressed={only === 'mistakes'} onClick={() => setOnly('mistakes')}>
            Mistakes ({mistakes})
          </button>
        </div>
      </div>
      <div className="lb-train-preds" data-testid="prediction-grid">
        {items.map((i) => {
          const truth = dataset.test.y[i];
          const pred = evaluation.predicted[i];
          const wrong = pred !== truth;
          const p = evaluation.probs ? evaluation.probs[i * names.length + pred] : undefined;
          return (
            <Tile
              key={i}
              dataset={dataset}
              index={i}
              wrong={wrong}
              label={wrong ? `${names[pred]} ≠ ${names[truth]}` : names[pred]}
              title={`Test example ${i + 1}: predicted ${names[pred]}${p !== undefined ? ` (${(p * 100).toFixed(0)}%)` : ''}, true ${names[truth]}`}
            />
          );
        })}
        {items.length === 0 && <p className="lb-train-note">No mistakes among the test examples.</p>}
      </div>
    </div>
  );
}

export function EpochLogTable({ epochs }: { epochs: EpochLog[] }) {
  if (epochs.length === 0) return null;
  const hasVal = epochs.some((e) => e.valLoss !== undefined);
  const hasAcc = epochs.some((e) => e.acc !== undefined);
  return (
    <details className="lb-train-log" data-testid="epoch-log" data-tensors={epochs.map((e) => e.numTensors).join(',')}>
      <summary>Epoch log ({epochs.length})</summary>
      <table className="lb-train-table">
        <thead>
          <tr>
            <th>Epoch</th>
            <th>Loss</th>
            {hasAcc && <th>Accuracy</th>}
            {hasVal && <th>Val. loss</th>}
            {hasVal && hasAcc && <th>Val. accuracy</th>}
            <th>Time</th>
            <th title="tf.memory().numTensors at the end of the epoch: flat means no leak">Tensors</th>
          </tr>
        </thead>
        <tbody>
          {epochs.map((e) => (
            <tr key={e.epoch} data-improved={e.improved}>
              <td>{e.epoch}</td>
              <td>{e.loss.toFixed(4)}</td>
              {hasAcc && <td>{pct(e.acc)}</td>}
              {hasVal && <td>{e.valLoss?.toFixed(4) ?? '—'}</td>}
              {hasVal && hasAcc && <td>{pct(e.valAcc)}</td>}
              <td>{(e.ms / 1000).toFixed(1)} s</td>
              <td>{e.numTensors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
