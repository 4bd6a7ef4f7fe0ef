'use client';
/**
 * The decision boundary of a 2-D set, as TensorFlow Playground draws it: the model's
 * probability of class 1 as a heatmap from orange (class 0) to blue (class 1), updated while
 * training, with the training points (white outline) and, on request, the test points (dark
 * outline; a mistake is ringed in red).
 */
import { useEffect, useRef, useState } from 'react';
import type { Dataset } from '@/lib/datasets/types';
import type { PerceptronUpdate } from '@/lib/training/perceptron';
import type { Evaluation } from '@/lib/training/run';
import { currentBoundary } from '@/lib/training/session';

const SIZE = 280;
const ORANGE = [232, 121, 15];
const MID = [232, 234, 235];
const BLUE = [8, 119, 189];

function colour(p: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, p));
  const [a, b, u] = t < 0.5 ? [ORANGE, MID, t * 2] : [MID, BLUE, (t - 0.5) * 2];
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

/**
 * The ends of the line w·x + b = 0 inside the square [lo, hi]² (model units), or null when it
 * misses the square (or w is 0).
 */
export function lineInSquare(w: readonly number[], b: number, lo: number, hi: number): [number, number, number, number] | null {
  const [w1, w2] = w;
  const pts: [number, number][] = [];
  const add = (x: number, y: number) => {
    if (x >= lo - 1e-9 && x <= hi + 1e-9 && y >= lo - 1e-9 && y <= hi + 1e-9) pts.push([x, y]);
  };
  if (w2 !== 0) for (const x of [lo, hi]) add(x, -(w1 * x + b) / w2);
  if (w1 !== 0) for (const y of [lo, hi]) add(-(w2 * y + b) / w1, y);
  if (pts.length < 2) return null;
  return [pts[0][0], pts[0][1], pts[pts.length - 1][0], pts[pts.length - 1][1]];
}

export function DecisionBoundary({ dataset, version, evaluation, perceptron = null }: { dataset: Dataset | null; version: number; evaluation: Evaluation | null; perceptron?: PerceptronUpdate | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [showTest, setShowTest] = useState(false);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !dataset) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = SIZE * dpr;
    canvas.height = SIZE * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#e8eaeb';
    ctx.fillRect(0, 0, SIZE, SIZE);
    const b = currentBoundary();
    if (b) {
      const off = document.createElement('canvas');
      off.width = b.grid;
      off.height = b.grid;
      const octx = off.getContext('2d')!;
      const img = octx.createImageData(b.grid, b.grid);
      for (let i = 0; i < b.grid * b.grid; i++) {
        const [r, g, bl] = colour(b.probs[i]);
        img.data[4 * i] = r;
        img.data[4 * i + 1] = g;
        img.data[4 * i + 2] = bl;
        img.data[4 * i + 3] = 255;
      }
      octx.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(off, 0, 0, SIZE, SIZE);
    }
    const [lo, hi] = dataset.domain ?? [-1, 1];
    const scale = dataset.pointScale ?? 1;
    const px = (v: number) => ((v * scale - lo) / (hi - lo)) * SIZE;
    const py = (v: number) => SIZE - ((v * scale - lo) / (hi - lo)) * SIZE;
    ctx.strokeStyle = 'rgba(0,0,0,0.12)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(SIZE / 2, 0);
    ctx.lineTo(SIZE / 2, SIZE);
    ctx.moveTo(0, SIZE / 2);
    ctx.lineTo(SIZE, SIZE / 2);
    ctx.stroke();
    const dot = (x: number, y: number, label: number, stroke: string) => {
      ctx.beginPath();
      ctx.arc(px(x), py(y), 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = label === 1 ? `rgb(${BLUE.join(',')})` : `rgb(${ORANGE.join(',')})`;
      ctx.fill();
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1;
      ctx.stroke();
    };
    const tr = dataset.train;
    for (let i = 0; i < tr.n; i++) dot(tr.x[2 * i], tr.x[2 * i + 1], tr.y[i], '#fff');
    if (showTest) {
      const te = dataset.test;
      for (let i = 0; i < te.n; i++) {
        dot(te.x[2 * i], te.x[2 * i + 1], te.y[i], '#222');
        if (evaluation && evaluation.predicted[i] !== te.y[i]) {
          ctx.beginPath();
          ctx.arc(px(te.x[2 * i]), py(te.x[2 * i + 1]), 6, 0, 2 * Math.PI);
          ctx.strokeStyle = '#b3261e';
          ctx.lineWidth = 1.5;
          ctx.stroke();
        }
      }
    }
    if (perceptron && perceptron.w.length === 2) {
      // The perceptron's line after its latest update, and the point that caused it.
      const end = lineInSquare(perceptron.w, perceptron.b, lo / scale, hi / scale);
      if (end) {
        ctx.strokeStyle = '#1d1d1f';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(px(end[0]), py(end[1]));
        ctx.lineTo(px(end[2]), py(end[3]));
        ctx.stroke();
      }
      ctx.beginPath();
      ctx.arc(px(perceptron.x[0]), py(perceptron.x[1]), 7, 0, 2 * Math.PI);
      ctx.strokeStyle = '#b3261e';
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
  }, [dataset, version, showTest, evaluation, perceptron]);

  return (
    <div className="lb-train-boundary">
      <canvas ref={ref} width={SIZE} height={SIZE} data-testid="decision-boundary" data-version={version} data-perceptron-update={perceptron?.update ?? 0} aria-label="Decision boundary: the model's prediction over the plane" role="img" />
      <div className="lb-train-boundary__side">
        <div>
          <div className="lb-train-scale" />
          <div className="lb-train-scale__labels">
            <span>class 0</span>
            <span>50%</span>
            <span>class 1</span>
          </div>
        </div>
        <div className="lb-train-key">
          <span>
            <i style={{ background: `rgb(${ORANGE.join(',')})`, boxShadow: '0 0 0 1px #fff, 0 0 0 2px #ccc' }} /> class 0
          </span>
          <span>
            <i style={{ background: `rgb(${BLUE.join(',')})`, boxShadow: '0 0 0 1px #fff, 0 0 0 2px #ccc' }} /> class 1
          </span>
          {perceptron && (
            <span>
              <i style={{ background: 'transparent', boxShadow: '0 0 0 2px #b3261e' }} /> the point of the latest update; the black line is w·x + b = 0
            </span>
          )}
          {showTest && evaluation && (
            <span>
              <i style={{ background: 'transparent', boxShadow: '0 0 0 1.5px #b3261e' }} /> misclassified test point
            </span>
          )}
        </div>
        <label className="lb-switch">
          <input type="checkbox" checked={showTest} onChange={(e) => setShowTest(e.target.checked)} data-testid="show-test-points" />
          <span className="lb-switch__track" aria-hidden />
          Show the test points
        </label>
        <p className="lb-train-note" style={{ margin: 0 }}>
          The background is the model&apos;s probability of class 1 at each point of the plane; it updates while the model trains.
        </p>
      </div>
    </div>
  );
}
