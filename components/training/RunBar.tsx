'use client';
/**
 * Start, pause/resume and stop; the backend choice (auto, WebGL, CPU); the status line; the progress bar with epoch, batch, examples
 * per second and time left; the message a finished run leaves (done, stopped early, NaN).
 */
import type { BackendChoice } from '@/lib/training/host';
import type { BatchLog } from '@/lib/training/run';
import type { SessionState } from '@/lib/training/session';

export interface RunBarProps {
  phase: SessionState['phase'];
  detail: string;
  progress: BatchLog | null;
  end: SessionState['end'];
  canStart: boolean;
  /** Why Start is disabled, for its tooltip. */
  blocked: string | null;
  epochs: number;
  /** Test evaluation progress, 0 to 1, while evaluating. */
  evalProgress?: number | null;
  /** The backend the next run uses. */
  backend: BackendChoice;
  onBackend(choice: BackendChoice): void;
  onStart(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
}

/** `83_000` → `1:23`; `3_700_000` → `1:01:40`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function statusOf(p: RunBarProps): { text: string; tone: 'idle' | 'busy' | 'ok' | 'warning' | 'error'; state: string } {
  const { phase, progress, end, detail } = p;
  switch (phase) {
    case 'idle':
      return p.canStart ? { text: 'Ready to train', tone: 'idle', state: 'idle' } : { text: 'Not ready: see the checks', tone: 'idle', state: 'blocked' };
    case 'preparing':
      return { text: detail || 'Preparing…', tone: 'busy', state: 'preparing' };
    case 'running':
      return { text: progress ? `Training · epoch ${progress.epoch} of ${progress.epochs}` : 'Training · building the model…', tone: 'busy', state: 'running' };
    case 'paused':
      return { text: `Paused${progress ? ` · epoch ${progress.epoch} of ${progress.epochs}` : ''}`, tone: 'warning', state: 'paused' };
    case 'stopping':
      return { text: 'Stopping after this batch…', tone: 'busy', state: 'stopping' };
    case 'evaluating':
      return { text: `Evaluating on the test split…${p.evalProgress ? ` ${Math.round(p.evalProgress * 100)}%` : ''}`, tone: 'busy', state: 'evaluating' };
    case 'finished': {
      const reason = end?.reason ?? 'completed';
      const words: Record<string, string> = {
        completed: 'done',
        'early-stopped': 'done · stopped early',
        stopped: 'done · stopped',
        nan: 'done · stopped: the loss is not a number',
        diverged: 'done · stopped: the loss exploded',
        error: 'done · failed',
        'not-separable': 'done · not separable by a line',
      };
      const tone = endTone(reason);
      return { text: words[reason], tone, state: reason };
    }
  }
}

/** The colour of a finished run's status and message. */
function endTone(reason: string): 'ok' | 'warning' | 'error' {
  if (reason === 'completed' || reason === 'early-stopped') return 'ok';
  return reason === 'stopped' || reason === 'not-separable' ? 'warning' : 'error';
}

const BACKEND_LABELS: Record<BackendChoice, string> = { auto: 'auto', webgl: 'WebGL', cpu: 'CPU' };

export function RunBar(props: RunBarProps) {
  const { phase, progress, end } = props;
  const status = statusOf(props);
  const active = phase === 'running' || phase === 'paused' || phase === 'stopping';
  const busy = active || phase === 'preparing' || phase === 'evaluating';
  const evaluating = phase === 'evaluating';
  const fraction = evaluating && props.evalProgress != null
    ? props.evalProgress
    : progress ? ((progress.epoch - 1) + progress.batch / progress.batchesPerEpoch) / progress.epochs : 0;
  const done = phase === 'finished';

  return (
    <div className="lb-train-card lb-train-run">
      <div className="lb-train-run__row">
        <button
          type="button"
          className="lb-btn lb-btn--primary"
          data-testid="train-start"
          disabled={busy || !props.canStart}
          title={props.blocked ?? 'Train the graph on the data set'}
          onClick={props.onStart}
        >
          <svg viewBox="0 0 12 12" aria-hidden>
            <path d="M2.5 1.5v9l8-4.5z" />
          </svg>
          {phase === 'finished' ? 'Train again' : 'Train'}
        </button>
        {phase === 'paused' ? (
          <button type="button" className="lb-btn" data-testid="train-resume" onClick={props.onResume}>
            Resume
          </button>
        ) : (
          <button type="button" className="lb-btn" data-testid="train-pause" disabled={phase !== 'running'} onClick={props.onPause}>
            Pause
          </button>
        )}
        <button
          type="button"
          className="lb-btn lb-btn--danger"
          data-testid="train-stop"
          disabled={!(active || evaluating) || phase === 'stopping'}
          title={evaluating ? 'Skip the test evaluation; the trained model stays' : 'Stop after this batch; the model keeps its weights'}
          onClick={props.onStop}
        >
          <svg viewBox="0 0 12 12" aria-hidden>
            <rect x="2" y="2" width="8" height="8" rx="1" />
          </svg>
          {evaluating ? 'Skip evaluation' : 'Stop'}
        </button>
        <label className="lb-train-run__backend" title="auto: the faster of CPU and WebGL, measured on your model (a few batches, once per architecture and batch size). WebGL: never the CPU. CPU: always the CPU. Applies from the next run.">
          Backend
          <select
            className="lb-input lb-select"
            data-testid="train-backend"
            value={props.backend}
            disabled={busy}
            onChange={(e) => props.onBackend(e.target.value as BackendChoice)}
          >
            {(Object.keys(BACKEND_LABELS) as BackendChoice[]).map((c) => (
              <option key={c} value={c}>
                {BACKEND_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        <span className="lb-train-status" data-testid="train-status" data-state={status.state} data-tone={status.tone} role="status" aria-live="polite">
          {status.text}
        </span>
      </div>

      {(progress || busy) && (
        <div className="lb-train-progress">
          <div
            className="lb-train-progress__bar"
            role="progressbar"
            aria-label={evaluating ? 'Test evaluation progress' : 'Training progress'}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round((done ? 1 : fraction) * 100)}
            data-testid="train-progress"
          >
            <div className="lb-train-progress__fill" data-paused={phase === 'paused'} style={{ width: `${(done && end?.reason === 'completed' ? 1 : fraction) * 100}%` }} />
          </div>
          {progress && (
            <div className="lb-train-progress__meta">
              <span>
                Epoch <b>{progress.epoch}</b>/{progress.epochs}
              </span>
              <span>
                Batch <b>{progress.batch}</b>/{progress.batchesPerEpoch}
              </span>
              <span>
                <b data-testid="train-speed">{Math.round(progress.examplesPerSecond).toLocaleString('en-US')}</b> examples/s
              </span>
              {active ? (
                <span>
                  <b>{formatDuration(progress.etaMs)}</b> left
                </span>
              ) : (
                <span>
                  <b>{formatDuration(end?.elapsedMs ?? progress.elapsedMs)}</b> in all
                </span>
              )}
            </div>
          )}
        </div>
      )}

      {phase === 'finished' && end && end.message && (
        <div
          className={`lb-train-message lb-train-message--${endTone(end.reason)}`}
          data-testid="train-message"
          role={end.reason === 'nan' || end.reason === 'diverged' || end.reason === 'error' ? 'alert' : undefined}
        >
          {end.message}
        </div>
      )}
    </div>
  );
}
