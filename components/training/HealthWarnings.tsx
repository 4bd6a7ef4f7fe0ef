'use client';
/**
 * The training-health card: after each measured epoch, either "All layers healthy" with the
 * figures per layer (dead ReLU units, saturated sigmoid/tanh outputs, gradient norms), or the
 * warnings in plain words, each naming its node with a link to show it on the canvas. The
 * figures come from the training session (measured where tfjs trains); nothing is computed
 * here but their formatting.
 *
 * @example
 * <HealthWarnings report={session.health} onSelectNode={(id) => select(id)} />
 */
import { gradientRatio, percent, times, type HealthReport, type LayerHealth } from '@/lib/training/health';
import './health.css';

export interface HealthWarningsProps {
  report: HealthReport | null;
  /** Selects a node on the canvas (the "Show" link of a warning). */
  onSelectNode?(id: string): void;
}

/** A gradient norm in three significant figures, small ones in scientific notation. */
function norm(v: number | undefined): string {
  if (v === undefined) return '—';
  if (!Number.isFinite(v) || v === 0) return String(v);
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}

function FiguresTable({ layers }: { layers: LayerHealth[] }) {
  return (
    <table className="lb-train-table lb-health__table" data-testid="health-figures">
      <thead>
        <tr>
          <th scope="col">Layer</th>
          <th scope="col" title="ReLU units that output 0 for every example of the batch">Dead units</th>
          <th scope="col" title="sigmoid outputs outside [0.01, 0.99], tanh outputs beyond ±0.99">Saturated</th>
          <th scope="col" title="Norm of the loss's gradient with respect to the layer's kernel">Gradient norm</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => (
          <tr key={l.nodeId} data-node={l.nodeId}>
            <td>
              <bdi>{l.name}</bdi>
              {l.activation && l.activation !== 'linear' && <span className="lb-health__act"> {l.activation}</span>}
            </td>
            <td>{l.dead ? `${percent(l.dead.dead / Math.max(1, l.dead.units))} (${l.dead.dead}/${l.dead.units})` : '—'}</td>
            <td>{l.saturated ? percent(l.saturated.saturated / Math.max(1, l.saturated.outputs)) : '—'}</td>
            <td>{norm(l.gradNorm)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The card's body; the panel wraps it in its card with the epoch as the aside. */
export function HealthWarnings({ report, onSelectNode }: HealthWarningsProps) {
  if (!report) return <p className="lb-train-note">Measured on a batch at the end of each epoch while training.</p>;
  const { stats, warnings } = report;
  const ratio = gradientRatio(stats);
  return (
    <div className="lb-health">
      {warnings.length === 0 ? (
        <p className="lb-train-check lb-train-check--ok" data-testid="health-ok">
          All layers healthy.
        </p>
      ) : (
        <ul className="lb-train-checks" aria-label="Training health warnings">
          {warnings.map((w) => (
            <li key={`${w.nodeId}-${w.kind}`} className="lb-train-check lb-train-check--warning" data-kind={w.kind} data-node={w.nodeId}>
              <span>
                {w.text}
                {onSelectNode && (
                  <>
                    {' '}
                    <button type="button" onClick={() => onSelectNode(w.nodeId)}>
                      Show
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {warnings.length === 0 ? (
        <FiguresTable layers={stats.layers} />
      ) : (
        <details className="lb-train-log">
          <summary>Figures per layer</summary>
          <FiguresTable layers={stats.layers} />
        </details>
      )}
      {ratio && Number.isFinite(ratio.ratio) && (
        <p className="lb-train-note">
          The gradient at the output (<bdi>{ratio.last.name}</bdi>) is {times(ratio.ratio)} the gradient reaching <bdi>{ratio.first.name}</bdi>; from 100× on, the first layers barely learn.
        </p>
      )}
    </div>
  );
}
