/**
 * @jest-environment jsdom
 */
/**
 * The run comparison card: one legend entry and one table row per kept run with its label and
 * its gaps (validation minus training loss, training minus validation accuracy, computed here by
 * hand) taken from the clean training figures when the run has them, the figure while training
 * beside them, a caption that says which were compared, pin / remove / clear all, names rendered
 * as text; and the training panel showing it once the session keeps a run, the session's pin and
 * remove actions applied to its history.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { checkTraining, compile } from '@/graph-compiler';
import { compareData, fmtGap, RunCompare } from '@/components/training/RunCompare';
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
    // Accuracies 0.9 and 0.7: 20.0 points.
    expect(screen.getAllByTestId('run-gap').map((e) => e.textContent)).toEqual([
      'loss gap 0.42 · accuracy gap 20.0 pts',
      'loss gap 0.08 · accuracy gap 20.0 pts',
      'loss gap 0.10 (-0.10 at best epoch 1) · accuracy gap 20.0 pts',
    ]);
    expect(card.querySelector('img')).toBeNull();
    const rows = within(screen.getByTestId('run-compare-table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual([' 1', 'baseline', '3', '0.120', '0.540', '0.420', '90.0%', '70.0%', '20.0 pts', 'PinRemove']);
    // No run measured its training set again: the caption says the training figures are those while training.
    expect(screen.getByTestId('run-compare-table').querySelector('caption')).toHaveTextContent(/These runs have training sets too large to measure again at each epoch \(over 5,000 examples\)/);
    expect(within(rows[2]).getAllByRole('cell')[2]).toHaveTextContent('2 (early stop)');
    // jsdom has no canvas (nor matchMedia): the chart steps aside and says the table has the figures.
    await screen.findByTestId('run-compare-no-chart');
  });

  it('takes the gaps from the clean training figures, with those while training under them', async () => {
    // Running loss 0.40 with the penalty, clean 0.31; accuracy 0.85 while training, 0.95 clean, 0.75 validation.
    const clean = (r: RunInput): RunInput => ({ ...r, epochs: r.epochs.map((e) => ({ ...e, loss: 0.4, acc: 0.85, trainEvalLoss: 0.31, trainEvalAcc: 0.95, valLoss: 0.6, valAcc: 0.75 })) });
    let runs: KeptRun[] = [];
    runs = keepRun(runs, clean(input({}, [[0, 0]])));
    runs = keepRun(runs, input({ doc: withL2 }, [[0.2, 0.5]]));
    render(<RunCompare runs={runs} onPin={() => undefined} onRemove={() => undefined} onClear={() => undefined} />);
    // 0.6 − 0.31 and 0.95 − 0.75; the second run's figures are those while training: 0.5 − 0.2, 0.9 − 0.7.
    expect(screen.getAllByTestId('run-gap').map((e) => e.textContent)).toEqual(['loss gap 0.29 · accuracy gap 20.0 pts', 'loss gap 0.30 · accuracy gap 20.0 pts']);
    const [first, second] = within(screen.getByTestId('run-compare-table')).getAllByRole('row').slice(1);
    expect(first).toHaveAttribute('data-clean', 'true');
    expect(within(first).getAllByRole('cell').map((c) => c.textContent).slice(3, 9)).toEqual(['0.310while training 0.400', '0.600', '0.290', '95.0%while training 85.0%', '75.0%', '20.0 pts']);
    expect(second).toHaveAttribute('data-clean', 'false');
    expect(within(second).getAllByRole('cell').map((c) => c.textContent).slice(3, 9)).toEqual(['0.200while training', '0.500', '0.300', '90.0%while training', '70.0%', '20.0 pts']);
    const caption = screen.getByTestId('run-compare-table').querySelector('caption')!;
    expect(caption).toHaveTextContent(/The training set is measured as the validation set is, after the epoch, with no Dropout and no L1\/L2 penalty/);
    expect(caption).toHaveTextContent(/Runs marked “while training” have training sets too large/);
    await screen.findByTestId('run-compare-no-chart');
  });

  it('plots the clean training loss when the run has it, else the loss while training', () => {
    const runs = keepRun(keepRun([], input({}, [[0.5, 0.6], [0.4, 0.7]])), { ...input({}, [[0.5, 0.6]]), epochs: [{ epoch: 1, loss: 0.5, trainEvalLoss: 0.45, valLoss: 0.6 }] });
    expect(compareData(runs)).toEqual([[1, 2], [0.5, 0.4], [0.6, 0.7], [0.45, null], [0.6, null]]);
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
