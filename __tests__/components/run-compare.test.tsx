/**
 * @jest-environment jsdom
 */
/**
 * The run comparison card: one legend entry and one table row per kept run with its label and
 * its gap (validation minus training loss, computed here by hand), pin / remove / clear all,
 * names rendered as text; and the training panel showing it once the session keeps a run, the
 * session's pin and remove actions applied to its history.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { checkTraining, compile } from '@/graph-compiler';
import { fmtGap, RunCompare } from '@/components/training/RunCompare';
import { TrainingPanel } from '@/components/training/TrainingPanel';
import { keepRun, runGaps, type KeptRun, type RunInput } from '@/lib/training/run-diff';
import { useTrainingSession } from '@/lib/training/session';
import { templateById } from '@/lib/templates';

const lab = templateById('overfitting-lab')!.doc;
const settings = checkTraining(lab.training).settings;

function input(patch: Partial<RunInput>, epochs: [number, number][]): RunInput {
  return {
    doc: lab,
    settings,
    epochs: epochs.map(([loss, valLoss], i) => ({ epoch: i + 1, loss, valLoss, acc: 0.9, valAcc: 0.7 })),
    reason: 'completed',
    restoredBest: false,
    ...patch,
  };
}

const withL2 = { ...lab, nodes: lab.nodes.map((n) => (n.id === 'dense_1' ? { ...n, label: '<img src=x>', params: { ...n.params, l2: 0.001 } } : n)) };

function history(): KeptRun[] {
  let runs: KeptRun[] = [];
  runs = keepRun(runs, input({}, [[0.6, 0.62], [0.3, 0.7], [0.12, 0.54]]));
  runs = keepRun(runs, input({ doc: withL2 }, [[0.6, 0.6], [0.45, 0.5], [0.4, 0.48]]));
  runs = keepRun(runs, input({ doc: withL2, settings: { ...settings, earlyStopping: { ...settings.earlyStopping, enabled: true, patience: 1 } }, reason: 'early-stopped', bestEpoch: 1, restoredBest: true }, [[0.6, 0.5], [0.45, 0.55]]));
  return runs;
}

describe('RunCompare', () => {
  it('labels each run by its change and gives its gap, in the legend and the table', async () => {
    render(<RunCompare runs={history()} onPin={() => undefined} onRemove={() => undefined} onClear={() => undefined} />);
    const card = screen.getByTestId('run-compare');
    expect(card).toHaveAttribute('data-runs', '3');
    expect(screen.getAllByTestId('run-label').map((e) => e.textContent)).toEqual(['baseline', 'L2 0.001 in <img src=x>', 'early stopping (patience 1)']);
    // 0.54 - 0.12, 0.48 - 0.40, and 0.55 - 0.45 with 0.5 - 0.6 at the restored best epoch.
    expect(screen.getAllByTestId('run-gap').map((e) => e.textContent)).toEqual(['gap 0.42', 'gap 0.08', 'gap 0.10 · -0.10 at best epoch 1']);
    expect(card.querySelector('img')).toBeNull();
    const rows = within(screen.getByTestId('run-compare-table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual([' 1', 'baseline', '3', '0.120', '0.540', '0.420', '90.0%', '70.0%', 'PinRemove']);
    expect(within(rows[2]).getAllByRole('cell')[2]).toHaveTextContent('2 (early stop)');
    // jsdom has no canvas (nor matchMedia): the chart steps aside and says the table has the figures.
    await screen.findByTestId('run-compare-no-chart');
  });

  it('pins, removes and clears through its callbacks', async () => {
    const calls: string[] = [];
    const runs = history().map((r) => (r.id === 2 ? { ...r, pinned: true } : r));
    render(<RunCompare runs={runs} onPin={(id) => calls.push(`pin ${id}`)} onRemove={(id) => calls.push(`remove ${id}`)} onClear={() => calls.push('clear')} />);
    expect(screen.getByRole('button', { name: 'Unpin run 2' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'Pin run 1' }));
    expect(screen.getByRole('button', { name: 'Pin run 1' })).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(screen.getByRole('button', { name: 'Remove run 3' }));
    fireEvent.click(screen.getByTestId('run-compare-clear'));
    expect(calls).toEqual(['pin 1', 'remove 3', 'clear']);
    await screen.findByTestId('run-compare-no-chart');
  });

  it('writes a missing validation split as such', () => {
    expect(fmtGap(runGaps({ epochs: [{ epoch: 1, loss: 0.3 }], restoredBest: false }))).toBe('no validation');
  });
});

describe('the training panel', () => {
  afterEach(() => act(() => useTrainingSession.getState().clearRuns()));

  it('shows the comparison once the session keeps a run; pin, remove and clear act on the history', async () => {
    render(<TrainingPanel doc={lab} result={compile(lab)} onTrainingChange={() => undefined} />);
    expect(screen.queryByTestId('run-compare')).toBeNull();
    act(() => useTrainingSession.setState({ runs: history() }));
    expect(screen.getByTestId('run-compare')).toHaveAttribute('data-runs', '3');
    await screen.findByTestId('run-compare-no-chart');
    fireEvent.click(screen.getByRole('button', { name: 'Pin run 1' }));
    expect(useTrainingSession.getState().runs.map((r) => r.pinned)).toEqual([true, false, false]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove run 2' }));
    expect(useTrainingSession.getState().runs.map((r) => r.id)).toEqual([1, 3]);
    fireEvent.click(screen.getByTestId('run-compare-clear'));
    expect(screen.queryByTestId('run-compare')).toBeNull();
  });
});
