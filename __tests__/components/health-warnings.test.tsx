/**
 * @jest-environment jsdom
 *
 * The training-health card in jsdom: the healthy case with its figures, the warnings with
 * their Show links, names rendered as text, and the node-face mark that follows the store.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { HealthWarnings } from '@/components/training/HealthWarnings';
import { healthWarnings, type HealthReport, type HealthStats } from '@/lib/training/health';
import { showHealthMarks, useHealthMarks } from '@/lib/training/health-marks';

const report = (stats: HealthStats): HealthReport => ({ stats, warnings: healthWarnings(stats) });

const HEALTHY: HealthStats = {
  epoch: 4,
  examples: 64,
  layers: [
    { nodeId: 'h', name: 'hidden', activation: 'relu', dead: { units: 8, dead: 1 }, gradNorm: 0.0421 },
    { nodeId: 'o', name: 'out', activation: 'sigmoid', saturated: { outputs: 64, saturated: 3 }, gradNorm: 0.2 },
  ],
};

const SICK: HealthStats = {
  epoch: 7,
  examples: 64,
  layers: [
    { nodeId: 'h', name: '<b>dense_1</b>', activation: 'relu', dead: { units: 8, dead: 5 }, gradNorm: 0.0001 },
    { nodeId: 'o', name: 'out', activation: 'sigmoid', saturated: { outputs: 64, saturated: 3 }, gradNorm: 0.1 },
  ],
};

describe('HealthWarnings', () => {
  it('says all layers are healthy and lists the figures per layer', () => {
    render(<HealthWarnings report={report(HEALTHY)} />);
    expect(screen.getByTestId('health-ok').textContent).toBe('All layers healthy.');
    const rows = within(screen.getByTestId('health-figures')).getAllByRole('row');
    expect(rows.map((r) => Array.from(r.querySelectorAll('th,td'), (c) => c.textContent))).toEqual([
      ['Layer', 'Dead units', 'Saturated', 'Gradient norm'],
      ['hidden relu', '13 % (1/8)', '—', '0.0421'],
      ['out sigmoid', '—', '5 %', '0.200'],
    ]);
    expect(screen.getByText(/is 4\.8× the gradient reaching/)).toBeTruthy();
  });

  it('shows the warnings naming the node as text, with a Show link', () => {
    const select = jest.fn();
    const { container } = render(<HealthWarnings report={report(SICK)} onSelectNode={select} />);
    expect(screen.queryByTestId('health-ok')).toBeNull();
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-kind'))).toEqual(['dead', 'vanishing']);
    expect(items[0].textContent).toContain("63 % of <b>dense_1</b>'s ReLU units are dead (5 of 8 never fire on a batch of 64): lower the learning rate, or use leaky ReLU");
    expect(items[1].textContent).toContain('Gradients reaching <b>dense_1</b> are 1,000× smaller than at the output (out): vanishing gradients.');
    expect(container.querySelector('b')).toBeNull();
    fireEvent.click(within(items[0]).getByRole('button', { name: 'Show' }));
    expect(select).toHaveBeenCalledWith('h');
  });

  it('before the first measurement, says when it will measure', () => {
    render(<HealthWarnings report={null} />);
    expect(screen.getByText(/at the end of each epoch/)).toBeTruthy();
  });
});

describe('the node-face mark', () => {
  it('shows a node its own sentence and clears it when the layer recovers', async () => {
    const { LayerNode } = await import('@/components/canvas/LayerNode');
    const data = { type: 'Dense', category: 'core', name: 'dense_1', summary: '', shape: '[8]', params: 24, inputs: 1, severity: null, messages: '', problemCount: 0 };
    const props = { id: 'h', data, selected: false } as unknown as Parameters<typeof LayerNode>[0];
    render(
      <ReactFlowProvider>
        <LayerNode {...props} />
      </ReactFlowProvider>,
    );
    expect(screen.queryByTestId('node-health')).toBeNull();
    act(() => showHealthMarks(report(SICK).warnings));
    const mark = screen.getByTestId('node-health');
    expect(mark.getAttribute('aria-label')).toMatch(/^Training health: 63 % of <b>dense_1<\/b>'s ReLU units are dead .* Gradients reaching <b>dense_1<\/b> are 1,000× smaller/);
    expect(within(mark).getByRole('tooltip').textContent).toContain('lower the learning rate');
    act(() => showHealthMarks(report(HEALTHY).warnings));
    expect(screen.queryByTestId('node-health')).toBeNull();
    expect(useHealthMarks.getState().marks).toEqual({});
  });
});
