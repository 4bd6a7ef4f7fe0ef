'use client';
/**
 * Live loss and accuracy curves: per batch (smoothed) and per epoch, for training and
 * validation. The chart library (uPlot, about 50 KB) loads with the first chart, never with
 * the page; the curves are redrawn at most ten times a second, whatever the batch rate.
 */
import { useEffect, useRef, useState } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartAxis } from './chart-axis';
import { currentCurves, type Curves } from '@/lib/training/session';

type UPlot = typeof uPlotType;

const BATCH = 'rgba(59, 110, 168, 0.42)';
const EPOCH = '#2f5a8b';
const VAL = '#d9822b';

interface ChartSpec {
  key: 'loss' | 'acc';
  title: string;
  pick(c: Curves): [(number | null)[], (number | null)[], (number | null)[]];
  range?: [number, number];
}

const SPECS: ChartSpec[] = [
  { key: 'loss', title: 'Loss', pick: (c) => [c.loss, c.epochLoss, c.valLoss] },
  { key: 'acc', title: 'Accuracy', pick: (c) => [c.acc, c.epochAcc, c.valAcc], range: [0, 1] },
];

function options(lib: UPlot, spec: ChartSpec, width: number): uPlotType.Options {
  return {
    width,
    height: 190,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: {
      x: { time: false },
      y: spec.range ? { range: spec.range } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      { ...chartAxis('epoch'), size: 34 },
      { ...chartAxis(), values: (_u, ticks) => ticks.map((t) => (spec.key === 'acc' ? `${Math.round(t * 100)}%` : lib.fmtNum(+t.toPrecision(3)))) },
    ],
    series: [
      {},
      { label: 'train (batch, smoothed)', stroke: BATCH, width: 1.25, points: { show: false } },
      { label: 'train (epoch)', stroke: EPOCH, width: 2, spanGaps: true, points: { show: true, size: 6, fill: EPOCH, stroke: EPOCH } },
      { label: 'validation (epoch)', stroke: VAL, width: 2, spanGaps: true, dash: [5, 3], points: { show: true, size: 6, fill: VAL, stroke: VAL } },
    ],
  };
}

function last(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}

function Chart({ lib, spec, version }: { lib: UPlot | null; spec: ChartSpec; version: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlotType | null>(null);
  const curves = currentCurves();
  const [train, epoch, val] = spec.pick(curves);
  const empty = curves.x.length === 0;

  useEffect(() => {
    const el = box.current;
    if (!lib || !el || empty) return;
    const u = new lib(options(lib, spec, Math.max(200, el.clientWidth)), [[], [], [], []], el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 190 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [lib, spec, empty]);

  useEffect(() => {
    const c = currentCurves();
    const [a, b, v] = spec.pick(c);
    plot.current?.setData([c.x, a, b, v] as uPlotType.AlignedData);
  }, [version, spec, lib, empty]);

  const fmt = (x: number | null) => (x === null ? '—' : spec.key === 'acc' ? `${(x * 100).toFixed(1)}%` : x.toFixed(4));
  const lastTrain = last(epoch) ?? last(train);
  const lastVal = last(val);
  return (
    <div className="lb-train-chart" data-testid={`chart-${spec.key}`} data-points={curves.x.length}>
      <div className="lb-train-chart__title">
        {spec.title}
        <span>
          train {fmt(lastTrain)}
          {lastVal !== null && ` · val ${fmt(lastVal)}`}
        </span>
      </div>
      {empty ? <div className="lb-train-chart__empty">The curve appears when training starts.</div> : <div ref={box} className="lb-train-chart__plot" />}
    </div>
  );
}

export function LiveCharts({ version, classification }: { version: number; classification: boolean }) {
  const [lib, setLib] = useState<UPlot | null>(null);
  const started = currentCurves().x.length > 0;

  useEffect(() => {
    if (!started || lib) return;
    let alive = true;
    void import('uplot').then((m) => {
      if (alive) setLib(() => m.default);
    });
    return () => {
      alive = false;
    };
  }, [started, lib]);

  return (
    <section className="lb-train-card" aria-label="Training curves">
      <div className="lb-train-card__head">
        <h3 className="lb-section-title">Curves</h3>
        <div className="lb-train-legend lb-train-aside">
          <span style={{ color: BATCH }}>
            <i />
            <span className="lb-muted">per batch, smoothed</span>
          </span>
          <span style={{ color: EPOCH }}>
            <i />
            <span className="lb-muted">training, per epoch</span>
          </span>
          <span style={{ color: VAL }}>
            <i style={{ borderTopStyle: 'dashed' }} />
            <span className="lb-muted">validation</span>
          </span>
        </div>
      </div>
      <div className="lb-train-card__body lb-train-charts">
        {SPECS.filter((s) => classification || s.key === 'loss').map((spec) => (
          <Chart key={spec.key} lib={lib} spec={spec} version={version} />
        ))}
      </div>
    </section>
  );
}
