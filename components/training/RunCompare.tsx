'use client';
/**
 * The run comparison: the last few runs' training (solid) and validation (dashed) loss
 * overlaid, one colour per run, each labelled by what changed against the run before it and
 * with its final gaps between training and validation (loss and accuracy); the same figures in
 * a table, where a run is pinned (never dropped to make room) or removed. The training figures
 * are those of the training set measured as the validation set is (inference mode, no penalty)
 * when the run measured them, with the loss while training beside them. uPlot loads with the
 * first chart, as in LiveCharts.
 *
 * @example
 * <RunCompare runs={session.runs} onPin={session.pinRun} onRemove={session.removeRun} onClear={session.clearRuns} />
 */
import { useEffect, useRef, useState } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartAxis } from './chart-axis';
import { runGaps, type KeptRun, type RunGaps } from '@/lib/training/run-diff';
import { TRAIN_EVAL_MAX } from '@/lib/training/run';
import './run-compare.css';

type UPlot = typeof uPlotType;

/** One colour per colour slot (KeptRun.colour); blue and orange as in the live curves. */
export const RUN_COLOURS = ['#2f5a8b', '#d9822b', '#2e8a57', '#8a4fb0'] as const;
const HEIGHT = 220;

export interface RunCompareProps {
  runs: readonly KeptRun[];
  onPin(id: number): void;
  onRemove(id: number): void;
  onClear(): void;
}

/** An accuracy gap in percentage points: "12.5 pts". */
export const fmtPoints = (v: number) => `${(v * 100).toFixed(1)} pts`;

/** The gaps as the legend writes them: "loss gap 0.42 (0.05 at best epoch 7) · accuracy gap 12.5 pts". */
export function fmtGap(g: RunGaps): string {
  if (!g.final) return 'no validation';
  const best = g.best && g.best.epoch !== g.final.epoch ? ` (${g.best.gap.toFixed(2)} at best epoch ${g.best.epoch})` : '';
  const acc = g.final.accGap !== undefined ? ` · accuracy gap ${fmtPoints(g.final.accGap)}` : '';
  return `loss gap ${g.final.gap.toFixed(2)}${best}${acc}`;
}

function options(lib: UPlot, runs: readonly KeptRun[], width: number): uPlotType.Options {
  const series: uPlotType.Series[] = [{}];
  for (const r of runs) {
    const stroke = RUN_COLOURS[r.colour % RUN_COLOURS.length];
    series.push({ label: `run ${r.id} training`, stroke, width: 2, spanGaps: false, points: { show: false } });
    series.push({ label: `run ${r.id} validation`, stroke, width: 2, dash: [6, 4], spanGaps: false, points: { show: false } });
  }
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
    axes: [
      { ...chartAxis('epoch'), size: 34 },
      { ...chartAxis('loss'), values: (_u, ticks) => ticks.map((t) => lib.fmtNum(+t.toPrecision(3))) },
    ],
    series,
  };
}

/**
 * Epochs 1..longest run on x; each run's training and validation loss, null past its end.
 * The training curve is the clean one when the run measured it: the chart then shows the very
 * gap the table gives, and a cure's curves are not lifted by its own penalty or dropout noise
 * (the live curves of the run itself show the loss while training).
 */
export function compareData(runs: readonly KeptRun[]): (number | null)[][] {
  const longest = Math.max(0, ...runs.map((r) => r.epochs.length));
  const x = Array.from({ length: longest }, (_, i) => i + 1);
  const out: (number | null)[][] = [x];
  for (const r of runs) {
    out.push(x.map((_, i) => r.epochs[i]?.trainEvalLoss ?? r.epochs[i]?.loss ?? null));
    out.push(x.map((_, i) => r.epochs[i]?.valLoss ?? null));
  }
  return out;
}

function Chart({ runs }: { runs: readonly KeptRun[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [lib, setLib] = useState<UPlot | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    // A chunk that fails to load (offline after a deploy; jsdom, which lacks matchMedia) leaves the table.
    import('uplot').then(
      (m) => alive && setLib(() => m.default),
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!lib || !el) return;
    const u = new lib(options(lib, runs, Math.max(220, el.clientWidth)), compareData(runs) as uPlotType.AlignedData, el);
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(220, el.clientWidth), height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [lib, runs]);

  if (failed) return <p className="lb-train-note" data-testid="run-compare-no-chart">The chart could not be drawn here; the table lists the figures.</p>;
  return (
    <div
      ref={box}
      className="lb-compare__plot"
      role="img"
      aria-label={`Training and validation loss of ${runs.length} run${runs.length === 1 ? '' : 's'} per epoch; the table below lists the figures.`}
    />
  );
}

function Swatch({ colour }: { colour: number }) {
  const c = RUN_COLOURS[colour % RUN_COLOURS.length];
  return (
    <span className="lb-compare__swatch" style={{ color: c }} aria-hidden="true">
      <i />
      <i className="lb-compare__swatch-val" />
    </span>
  );
}

const loss = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));
const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

interface Row {
  run: KeptRun;
  gaps: RunGaps;
  last: KeptRun['epochs'][number] | undefined;
}

/**
 * A training figure: the clean one when the run measured it, with the figure while training
 * under it; when other runs are clean, a run that is not says its figure is the one while training.
 */
function TrainCell({ value, running, clean, others, fmt }: { value: number | undefined; running: number | undefined; clean: boolean; others: boolean; fmt: (v: number | undefined) => string }) {
  return (
    <td>
      {fmt(value)}
      {(clean || others) && <span className="lb-compare__sub">{clean ? `while training ${fmt(running)}` : 'while training'}</span>}
    </td>
  );
}

/** What the table compares, in words: which training figures the gaps are taken from. */
function captionOf(rows: readonly Row[]): string {
  const measured = rows.filter((r) => r.gaps.final);
  const clean = measured.filter((r) => r.gaps.final!.clean).length;
  const parts = ['Gaps at the last epoch: validation minus training loss, training minus validation accuracy; a large gap is overfitting.'];
  if (clean > 0) {
    parts.push(
      'The training set is measured as the validation set is, after the epoch, with no Dropout and no L1/L2 penalty. The figure while training, under it, carries both: a gap taken from it would shrink by a cure’s own penalty.',
    );
  }
  if (clean < measured.length) {
    parts.push(
      `${clean > 0 ? 'Runs marked “while training”' : 'These runs'} have training sets too large to measure again at each epoch (over ${TRAIN_EVAL_MAX.toLocaleString('en')} examples): their training figures carry Dropout’s noise and the L1/L2 penalty, so part of a cure’s smaller gap is theirs; the validation figures compare like with like.`,
    );
  }
  return parts.join(' ');
}

/** The run comparison card (shown once a run is kept). */
export function RunCompare({ runs, onPin, onRemove, onClear }: RunCompareProps) {
  const rows: Row[] = runs.map((r) => ({ run: r, gaps: runGaps(r), last: r.epochs[r.epochs.length - 1] }));
  const anyClean = rows.some((r) => r.gaps.final?.clean);
  return (
    <section className="lb-train-card" aria-label="Run comparison" data-testid="run-compare" data-runs={runs.length}>
      <div className="lb-train-card__head">
        <h3 className="lb-section-title">Run comparison</h3>
        <span className="lb-train-aside">training solid, validation dashed · the last {runs.length === 1 ? 'run' : `${runs.length} runs`} of up to 4</span>
        <button type="button" className="lb-btn lb-btn--small lb-btn--ghost" onClick={onClear} data-testid="run-compare-clear">
          Clear all
        </button>
      </div>
      <div className="lb-train-card__body">
        <ul className="lb-compare__legend" aria-label="Runs">
          {rows.map(({ run, gaps }) => (
            <li key={run.id} data-testid="run-compare-legend" data-run={run.id}>
              <Swatch colour={run.colour} />
              <span className="lb-compare__run">Run {run.id}</span>
              <span className="lb-compare__label" data-testid="run-label">
                {run.label}
              </span>
              <span className="lb-compare__gap" data-testid="run-gap">
                {fmtGap(gaps)}
              </span>
            </li>
          ))}
        </ul>
        <Chart runs={runs} />
        <div className="lb-compare__scroll">
          <table className="lb-train-table lb-compare__table" data-testid="run-compare-table">
            <caption className="lb-compare__caption">{captionOf(rows)}</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col" className="lb-compare__change">
                  What changed
                </th>
                <th scope="col">Epochs</th>
                <th scope="col">Train loss</th>
                <th scope="col">Val. loss</th>
                <th scope="col">Loss gap</th>
                <th scope="col">Train acc.</th>
                <th scope="col">Val. acc.</th>
                <th scope="col">
                  <abbr title="Accuracy gap: training minus validation accuracy, in percentage points">Acc. gap</abbr>
                </th>
                <th scope="col">
                  <span className="lb-compare__sr">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ run, gaps, last }) => {
                const g = gaps.final;
                const clean = !!g?.clean;
                const others = anyClean && !clean;
                return (
                  <tr key={run.id} data-run={run.id} data-pinned={run.pinned} data-clean={clean}>
                    <td>
                      <Swatch colour={run.colour} /> {run.id}
                    </td>
                    <td className="lb-compare__change">{run.label}</td>
                    <td>
                      {run.epochs.length}
                      {run.reason === 'early-stopped' ? ' (early stop)' : run.reason === 'stopped' ? ' (stopped)' : ''}
                    </td>
                    <TrainCell value={g ? g.train : last?.loss} running={last?.loss} clean={clean} others={others} fmt={loss} />
                    <td>{loss(last?.valLoss)}</td>
                    <td data-testid="run-gap-cell">
                      {g ? g.gap.toFixed(3) : '—'}
                      {gaps.best && gaps.best.epoch !== g?.epoch && (
                        <span className="lb-compare__sub">
                          best ep. {gaps.best.epoch}: {gaps.best.gap.toFixed(3)}
                        </span>
                      )}
                    </td>
                    <TrainCell value={g ? g.trainAcc : last?.acc} running={last?.acc} clean={clean} others={others} fmt={pct} />
                    <td>{pct(last?.valAcc)}</td>
                    <td data-testid="run-acc-gap-cell">{g?.accGap !== undefined ? fmtPoints(g.accGap) : '—'}</td>
                    <td className="lb-compare__actions">
                      <button
                        type="button"
                        className="lb-btn lb-btn--small lb-btn--ghost"
                        aria-pressed={run.pinned}
                        aria-label={`${run.pinned ? 'Unpin' : 'Pin'} run ${run.id}`}
                        title={run.pinned ? 'Pinned: never dropped to make room' : 'Pin: never dropped to make room'}
                        onClick={() => onPin(run.id)}
                      >
                        {run.pinned ? 'Pinned' : 'Pin'}
                      </button>
                      <button type="button" className="lb-btn lb-btn--small lb-btn--ghost" aria-label={`Remove run ${run.id}`} onClick={() => onRemove(run.id)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
