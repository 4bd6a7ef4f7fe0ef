'use client';
/**
 * An activation function and its derivative over [−6, 6], drawn as SVG from the pure curves of
 * `graph-compiler/activations/curves.ts` (no chart library, no tfjs), with the course's caveat.
 * Softmax also shows its sample logits as probabilities; Maxout shows its pieces.
 */
import { activationCurve, CURVE_RANGE, maxoutCurve, MAXOUT_SAMPLE, sampleCurve, softmax, SOFTMAX_SAMPLE, type CurveName } from '@/graph-compiler/activations/curves';
import './lessons.css';

const W = 248;
const H = 132;
const PAD = 18;

function path(xs: readonly number[], ys: readonly number[], sx: (x: number) => number, sy: (y: number) => number): string {
  return xs.map((x, i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(ys[i]).toFixed(1)}`).join('');
}

export interface ActivationPlotProps {
  /** An activation name, or `maxout` for a Maxout layer's max of pieces. */
  activation: CurveName | 'maxout';
  /** leakyRelu's slope for x < 0. */
  alpha?: number;
}

/** The plot with its formula, legend and caveat (test id `activation-plot`). */
export function ActivationPlot({ activation, alpha = 0.01 }: ActivationPlotProps) {
  const curve = activation === 'maxout' ? maxoutCurve() : activationCurve(activation, alpha);
  const s = sampleCurve(curve);
  const all = [...s.y, ...s.dy];
  const lo = Math.min(-1, ...all);
  const hi = Math.max(1, ...all);
  const sx = (x: number) => PAD + ((x - CURVE_RANGE[0]) / (CURVE_RANGE[1] - CURVE_RANGE[0])) * (W - 2 * PAD);
  const sy = (y: number) => H - PAD - ((y - lo) / (hi - lo)) * (H - 2 * PAD);
  const probs = activation === 'softmax' ? softmax(SOFTMAX_SAMPLE) : null;
  return (
    <figure className="lb-actplot" data-testid="activation-plot" data-activation={activation}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${activation}: the function and its derivative from −6 to 6`}>
        <line className="lb-actplot__axis" x1={PAD} x2={W - PAD} y1={sy(0)} y2={sy(0)} />
        <line className="lb-actplot__axis" x1={sx(0)} x2={sx(0)} y1={PAD / 2} y2={H - PAD} />
        <text className="lb-actplot__tick" x={PAD} y={H - 4}>−6</text>
        <text className="lb-actplot__tick" x={W - PAD} y={H - 4} textAnchor="end">6</text>
        <text className="lb-actplot__tick" x={sx(0) + 3} y={sy(hi) + 8}>{+hi.toFixed(2)}</text>
        <text className="lb-actplot__tick" x={sx(0) + 3} y={sy(lo) - 2}>{+lo.toFixed(2)}</text>
        {activation === 'maxout' && MAXOUT_SAMPLE.map((p, i) => (
          <path key={i} className="lb-actplot__piece" d={path(s.x, s.x.map((x) => p.w * x + p.b).map((y) => Math.min(hi, Math.max(lo, y))), sx, sy)} />
        ))}
        <path className="lb-actplot__df" data-series="df" d={path(s.x, s.dy, sx, sy)} />
        <path className="lb-actplot__f" data-series="f" d={path(s.x, s.y, sx, sy)} />
      </svg>
      <figcaption>
        <div className="lb-actplot__legend">
          <span className="lb-actplot__key lb-actplot__key--f" /> f(x)
          <span className="lb-actplot__key lb-actplot__key--df" /> f′(x)
          {activation === 'maxout' && <><span className="lb-actplot__key lb-actplot__key--piece" /> pieces</>}
        </div>
        <code className="lb-actplot__formula">{curve.formula}</code>
        {probs && (
          <table className="lb-actplot__softmax" data-testid="softmax-sample">
            <tbody>
              <tr><th>z</th>{SOFTMAX_SAMPLE.map((z, i) => <td key={i}>{z}</td>)}</tr>
              <tr><th>p</th>{probs.map((p, i) => <td key={i}>{p.toFixed(3)}</td>)}</tr>
            </tbody>
          </table>
        )}
        <p className="lb-actplot__caveat">{curve.caveat}</p>
      </figcaption>
    </figure>
  );
}
