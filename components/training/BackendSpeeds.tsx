'use client';
/**
 * The course's "CPU vs GPU" lesson, measured on the person's own model: each backend's
 * examples per second (from the few batches "auto" times at a run's start, or, for a backend
 * chosen in the run bar, from the run itself), which one trains and why.
 */
import { BACKEND_TITLES, CPU_GPU_LESSON, pickReason, type BackendReport } from '@/lib/training/backend-pick';
import type { BackendName } from '@/lib/training/tf';
import './backend-speeds.css';

export interface BackendSpeedsProps {
  report: BackendReport | null;
  /** True while "auto" measures the backends at a run's start. */
  measuring: boolean;
  /** Examples per second of the current (or last) run, on `report.picked`; 0 before its first batches. */
  runExamplesPerSecond: number;
}

const ORDER: BackendName[] = ['cpu', 'webgl'];

function formatRate(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}

export function BackendSpeeds({ report, measuring, runExamplesPerSecond }: BackendSpeedsProps) {
  const rows = ORDER.flatMap((name) => {
    const measured = report?.speeds[name];
    if (measured !== undefined) return [{ name, value: measured }];
    if (report?.picked === name && runExamplesPerSecond > 0) return [{ name, value: runExamplesPerSecond }];
    return [];
  });
  const max = Math.max(1e-9, ...rows.map((r) => r.value));
  const reason = report ? pickReason(report) : null;
  const aside = measuring
    ? 'measuring…'
    : !report
      ? 'measured when a run starts'
      : report.how === 'measured'
        ? `measured on your ${report.model}`
        : report.how === 'cached'
          ? `measured at an earlier run of this ${report.model}`
          : report.how === 'forced'
            ? `${BACKEND_TITLES[report.picked]} chosen in the run bar${Object.keys(report.speeds).length ? `; both measured at an earlier run of this ${report.model}` : ''}`
            : 'CPU only here';

  return (
    <section className="lb-train-card" aria-label="CPU vs GPU" data-testid="backend-speeds" data-picked={report?.picked ?? 'none'}>
      <div className="lb-train-card__head">
        <h3 className="lb-section-title">CPU vs GPU</h3>
        <span className="lb-train-aside" aria-live="polite">
          {aside}
        </span>
      </div>
      <div className="lb-train-card__body">
        {measuring && <p className="lb-train-note lb-speeds__wait">Training a few batches of your model on the CPU and on WebGL, to train on the faster one…</p>}
        {rows.length > 0 && (
          <table className="lb-speeds">
            <caption className="lb-speeds__caption">Training speed, examples per second</caption>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name} data-testid={`backend-speed-${r.name}`} data-value={r.value.toFixed(3)} className={report?.picked === r.name ? 'lb-speeds__row--picked' : undefined}>
                  <th scope="row" className="lb-speeds__name">
                    {BACKEND_TITLES[r.name]}
                    {r.name === 'webgl' ? <span className="lb-speeds__sub"> (GPU)</span> : null}
                  </th>
                  <td className="lb-speeds__bar-cell">
                    <span className="lb-speeds__bar" data-backend={r.name} style={{ width: `${Math.max(2, (100 * r.value) / max)}%` }} />
                  </td>
                  <td className="lb-speeds__value">
                    {formatRate(r.value)}
                    <span className="lb-speeds__unit"> ex/s</span>
                  </td>
                  <td className="lb-speeds__tag">{report?.picked === r.name ? <span className="lb-speeds__picked">trains</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {reason && (
          <p className="lb-speeds__reason" data-testid="backend-reason">
            {reason}
          </p>
        )}
        <p className="lb-train-note">{CPU_GPU_LESSON}</p>
      </div>
    </section>
  );
}
