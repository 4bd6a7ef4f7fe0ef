/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { DiagnosticsList } from '@/components/summary/DiagnosticsList';
import { SummaryTable } from '@/components/summary/SummaryTable';
import { resetEditorStore, useEditorStore } from '@/lib/store';
import { templateById } from '@/lib/templates';

const state = () => useEditorStore.getState();

describe('SummaryTable', () => {
  beforeEach(() => resetEditorStore(templateById('lenet5')!.doc));

  it('lists every layer as Keras model.summary does, with MACs', () => {
    render(<SummaryTable />);
    const rows = within(screen.getByTestId('summary')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(10);
    const cells = (i: number) => within(rows[i]).getAllByRole('cell').map((c) => c.textContent);
    expect(cells(1)).toEqual(['pad', 'ZeroPadding2D', '(None, 32, 32, 1)', '0', '0', 'input']);
    expect(cells(2)).toEqual(['c1', 'Conv2D', '(None, 28, 28, 6)', '156', '117.60 K', 'pad']);
    expect(cells(9)).toEqual(['output', 'Dense', '(None, 10)', '850', '840', 'f6']);
  });

  it('totals params, MACs and memory like torchinfo', () => {
    render(<SummaryTable />);
    const totals = screen.getByTestId('totals');
    expect(totals).toHaveTextContent('Total params61,706');
    expect(totals).toHaveTextContent('Trainable61,706');
    expect(totals).toHaveTextContent('Non-trainable0');
    expect(totals).toHaveTextContent('Weights241.04 KB');
  });

  it('selects and centres a node when its row is clicked', () => {
    render(<SummaryTable />);
    fireEvent.click(screen.getAllByText('f5')[0]);
    expect(state().selectedNodes).toEqual(new Set(['f5']));
    expect(state().focusRequest?.id).toBe('f5');
  });

  it('updates after an edit', () => {
    render(<SummaryTable />);
    act(() => state().updateParam('f5', 'units', 100));
    expect(screen.getByTestId('totals')).toHaveTextContent('Total params52,006');
  });
});

describe('DiagnosticsList', () => {
  beforeEach(() => resetEditorStore(templateById('lenet5')!.doc));

  it('says when there is nothing wrong', () => {
    render(<DiagnosticsList />);
    expect(screen.getByTestId('diagnostics')).toHaveTextContent('No problems');
  });

  it('lists errors first and selects a node from its diagnostic', () => {
    render(<DiagnosticsList />);
    act(() => {
      state().updateParam('c3', 'kernelSize', 15);
      state().updateParam('f5', 'activation', 'softmax');
    });
    const items = within(screen.getByTestId('diagnostics')).getAllByRole('button');
    expect(items.map((i) => i.getAttribute('data-code'))).toEqual(['output-size', 'softmax-not-output']);
    fireEvent.click(items[0]);
    expect(state().selectedNodes).toEqual(new Set(['c3']));
    expect(state().focusRequest?.id).toBe('c3');
  });
});

describe('direction controls in the summary and the problems list', () => {
  it('shows them written out, isolated, in names, types and messages', () => {
    resetEditorStore({
      format: 'layerboard.graph', version: 1,
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [4] }, label: 'in\u202Eput', position: { x: 0, y: 0 } },
        { id: 'odd', type: 'Den\u202Ese', params: {}, position: { x: 0, y: 96 } },
      ],
      edges: [{ source: 'in', target: 'odd' }],
    });
    render(<><SummaryTable /><DiagnosticsList /></>);
    const summary = screen.getByTestId('summary');
    expect(summary.textContent).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    // Its own row and the next row's "connected to".
    expect(within(summary).getAllByText('in⟨U+202E⟩put').map((e) => e.tagName)).toEqual(['BDI', 'BDI']);
    expect(within(summary).getByText('Den⟨U+202E⟩se').tagName).toBe('BDI');
    const problems = screen.getByTestId('diagnostics');
    expect(within(problems).getAllByRole('button').length).toBeGreaterThan(0);
    expect(problems.textContent).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(problems.textContent).toContain('Den⟨U+202E⟩se');
  });
});
