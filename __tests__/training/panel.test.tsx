/**
 * @jest-environment jsdom
 */
/**
 * The training panel in jsdom: the test ids other checks rely on, the settings written to the
 * document's training block, and the checks that keep Start disabled.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { compile, type GraphDocument, type TrainingBlock } from '@/graph-compiler';
import { TrainingPanel } from '@/components/training/TrainingPanel';
import { spiralMlp } from '@/lib/templates/basic';
import { mnistConvnet } from '@/lib/templates/convnets';

function Host({ initial, onChange }: { initial: GraphDocument; onChange?(block: TrainingBlock): void }) {
  const [doc, setDoc] = useState(initial);
  return (
    <TrainingPanel
      doc={doc}
      result={compile(doc)}
      onTrainingChange={(block) => {
        onChange?.(block);
        setDoc({ ...doc, training: block as Record<string, unknown> });
      }}
    />
  );
}

const checks = () => screen.getByTestId('train-checks');

describe('TrainingPanel', () => {
  it('offers the data sets and the run controls under their test ids', () => {
    render(<Host initial={mnistConvnet} />);
    const select = screen.getByTestId('dataset-select') as HTMLSelectElement;
    expect(select.tagName).toBe('SELECT');
    expect([...select.options].map((o) => o.value)).toEqual(['mnist', 'circle', 'xor', 'gaussian', 'spiral', 'csv', 'images']);
    expect(select.value).toBe('mnist');
    expect(screen.getByTestId('train-epochs')).toHaveValue(3);
    expect(screen.getByTestId('train-start')).toBeEnabled();
    expect(screen.getByTestId('train-stop')).toBeDisabled();
    expect(screen.getByTestId('train-status')).toHaveTextContent('Ready to train');
    expect(screen.getByTestId('test-accuracy')).toHaveTextContent('—');
    expect(screen.getByTestId('backend')).toHaveTextContent('not loaded');
    expect(within(checks()).getByText('The graph and the data set fit together.')).toBeInTheDocument();
  });

  it('writes every change to the training block', () => {
    const changes: TrainingBlock[] = [];
    render(<Host initial={mnistConvnet} onChange={(b) => changes.push(b)} />);
    fireEvent.change(screen.getByTestId('train-epochs'), { target: { value: '7' } });
    expect(changes.at(-1)).toMatchObject({ dataset: 'mnist', epochs: 7, learningRate: 0.003 });
    fireEvent.change(screen.getByTestId('train-optimizer'), { target: { value: 'momentum' } });
    expect(changes.at(-1)).toMatchObject({ optimizer: 'momentum', epochs: 7 });
    expect(screen.getByTestId('train-momentum')).toHaveValue(0.9);
    fireEvent.click(screen.getByTestId('early-stopping'));
    expect(changes.at(-1)!.earlyStopping).toEqual({ enabled: true, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBestWeights: true });
  });

  it('keeps a half-typed number out of the document and says what it needs', () => {
    const changes: TrainingBlock[] = [];
    render(<Host initial={mnistConvnet} onChange={(b) => changes.push(b)} />);
    const lr = screen.getByTestId('train-lr');
    fireEvent.change(lr, { target: { value: '-1' } });
    expect(changes).toHaveLength(0);
    expect(lr).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Enter a number > 0.')).toBeInTheDocument();
    fireEvent.change(lr, { target: { value: '0.01' } });
    expect(changes.at(-1)).toMatchObject({ learningRate: 0.01 });
  });

  it('checks the graph against the data set and disables Start on an error', () => {
    render(<Host initial={mnistConvnet} />);
    fireEvent.change(screen.getByTestId('dataset-select'), { target: { value: 'spiral' } });
    const error = within(checks()).getByText(/Input "input" has shape \[28, 28, 1\]/);
    expect(error.closest('li')).toHaveAttribute('data-code', 'data-input-shape');
    expect(screen.getByTestId('train-start')).toBeDisabled();
    expect(screen.getByTestId('train-status')).toHaveTextContent('Not ready');
  });

  it('shows the 2-D data before training, with its options', () => {
    render(<Host initial={spiralMlp} />);
    expect(screen.getByTestId('decision-boundary')).toBeInTheDocument();
    expect(screen.getByText(/1000 points from seed 42: 700 to train on, 300 to test/)).toBeInTheDocument();
    expect(screen.getByTestId('train-start')).toBeEnabled();
  });

  it('names the bad row of an uploaded CSV', async () => {
    render(<Host initial={spiralMlp} />);
    fireEvent.change(screen.getByTestId('dataset-select'), { target: { value: 'csv' } });
    expect(within(checks()).getByText('Choose a CSV file to train on.')).toBeInTheDocument();
    const file = new File(['a,b,label\n1,2,x\n3,4\n'], 'bad.csv', { type: 'text/csv' });
    await act(async () => {
      fireEvent.change(screen.getByTestId('csv-file'), { target: { files: [file] } });
    });
    expect(await screen.findByText('bad.csv: Row 3 has 2 values, but the header has 3 columns.')).toBeInTheDocument();

    const text = new File(['a,b,label\n1,2,x\n3,oops,y\n5,6,x\n'], 'text.csv', { type: 'text/csv' });
    await act(async () => {
      fireEvent.change(screen.getByTestId('csv-file'), { target: { files: [text] } });
    });
    expect(await screen.findByTestId('data-error')).toHaveTextContent('Row 3, column "b": "oops" is not a number');
    expect(screen.getByTestId('train-start')).toBeDisabled();

    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2 ? 'x' : 'y'}`);
    const good = new File([['a,b,label', ...rows].join('\n')], 'good.csv', { type: 'text/csv' });
    await act(async () => {
      fireEvent.change(screen.getByTestId('csv-file'), { target: { files: [good] } });
    });
    expect(await screen.findByText(/"good.csv": 20 rows, 2 features \(standardised\), label "label" with 2 classes; 16 rows for training, 4 for test/)).toBeInTheDocument();
    expect(screen.getByTestId('csv-label')).toHaveValue('label');
    // The spiral graph has a [2] Input and a sigmoid unit: it fits a two-class, two-feature table.
    expect(screen.getByTestId('train-start')).toBeEnabled();
  });
});
