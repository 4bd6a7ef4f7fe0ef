'use client';
/**
 * The run comparison: the last few runs' training (solid) and validation (dashed) loss
 * overlaid, one colour per run, each labelled by what changed against the run before it and
 * with its final gap between validation and training loss; the same figures in a table, where
 * a run is pinned (never dropped to make room) or removed. uPlot loads with the first chart,
 * as in LiveCharts.
 *
 * @example
 * <RunCompare runs={session.runs} onPin={session.pinRun} onRemove={session.removeRun} onClear={session.clearRuns} />
 */
import { useEffect, useRef, useState } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { runGaps, type KeptRun, type RunGaps } from '@/lib/training/run-diff';
import './run-compare.css';

type UPlot = typeof uPlotType;

/** One colour per colour slot (KeptRun.colour); blue and orange as in the live curves. */
export const RUN_COLOURS = ['#2f5a8b', '#d9822b', '#2e8a57', '#8a4fb0'] as const;
const GRID = '#ececE8';
const AXIS = '#8a9097';
const HEIGHT = 220;

export interface RunCompareProps {
  runs: readonly KeptRun[];
  onPin(id: number): void;
  onRemove(id: number): void;
  onClear(): void;
}

/** A gap as the card writes it: "gap 0.42". */
export function fmtGap(g: RunGaps): string {
  if (!g.final) return 'no validation';
  const best = g.best && g.best.epoch !== g.final.epoch ? ` · ${g.best.gap.toFixed(2)} at best epoch ${g.best.epoch}` : '';
  return `gap ${g.final.gap.toFixed(2)}${best}`;
}

function options(lib: UPlot, runs: readonly KeptRun[], width: number): uPlotType.Options {
  const axis = (label?: string): uPlotType.Axis => ({
    stroke: AXIS,
    font: '11px system-ui, sans-serif',
    labelFont: '11px system-ui, sans-serif',
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, width: 1, size: 4 },
    label,
    labelSize: label ? 16 : 0,
    size: 40,
  });
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
      { ...axis('epoch'), size: 34 },
      { ...axis('loss'), values: (_u, ticks) => ticks.map((t) => lib.fmtNum(+t.toPrecision(3))) },
    ],
    series,
  };
}

/** Epochs 1..longest run on x; each run's training and validation loss, null past its end. */
export function compareData(runs: readonly KeptRun[]): (number | null)[][] {
  const longest = Math.max(0, ...runs.map((r) => r.epochs.length));
  const x = Array.from({ length: longest }, (_, i) => i + 1);
  const out: (number | null)[][] = [x];
  for (const r of runs) {
    out.push(x.map((_, i) => r.epochs[i]?.loss ?? null));
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

/** The run comparison card (shown once a run is kept). */
export function RunCompare({ runs, onPin, onRemove, onClear }: RunCompareProps) {
  const rows = runs.map((r) => ({ run: r, gaps: runGaps(r), last: r.epochs[r.epochs.length - 1] }));
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
            <caption className="lb-compare__caption">
              Gap: validation minus training loss at the last epoch; a large gap is overfitting. The training loss is taken while
              training, with the L1/L2 penalty and Dropout’s noise, so part of a cure’s smaller gap is theirs: the validation loss and the
              accuracies compare like with like.
            </caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col" className="lb-compare__change">
                  What changed
                </th>
                <th scope="col">Epochs</th>
                <th scope="col">Train loss</th>
                <th scope="col">Val. loss</th>
                <th scope="col">Gap</th>
                <th scope="col">Train acc.</th>
                <th scope="col">Val. acc.</th>
                <th scope="col">
                  <span className="lb-compare__sr">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ run, gaps, last }) => (
                <tr key={run.id} data-run={run.id} data-pinned={run.pinned}>
                  <td>
                    <Swatch colour={run.colour} /> {run.id}
                  </td>
                  <td className="lb-compare__change">{run.label}</td>
                  <td>
                    {run.epochs.length}
                    {run.reason === 'early-stopped' ? ' (early stop)' : run.reason === 'stopped' ? ' (stopped)' : ''}
                  </td>
                  <td>{loss(last?.loss)}</td>
                  <td>{loss(last?.valLoss)}</td>
                  <td data-testid="run-gap-cell">
                    {gaps.final ? gaps.final.gap.toFixed(3) : '—'}
                    {gaps.best && gaps.best.epoch !== gaps.final?.epoch && <span className="lb-compare__best"> best ep. {gaps.best.epoch}: {gaps.best.gap.toFixed(3)}</span>}
                  </td>
                  <td>{pct(last?.acc)}</td>
                  <td>{pct(last?.valAcc)}</td>
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
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
