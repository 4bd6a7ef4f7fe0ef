/**
 * @jest-environment jsdom
 */
/**
 * The neuron view drawn from given weights: one circle per input and unit, connection widths
 * ordered as |w| and coloured by sign, the weight editor (Enter applies through the action,
 * Escape closes), and the step-through's numbers (equal to the pure maths, checked against
 * tfjs in __tests__/training/neurons.test.ts).
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { compile, type GraphDocument } from '@/graph-compiler';
import { NeuronCard, NeuronView, fmt, heatmapUrl } from '@/components/training/NeuronView';
import { spiralMlp } from '@/lib/templates/basic';
import { templateById } from '@/lib/templates';
import { backprop, denseChain, type LayerWeights } from '@/lib/training/neurons';

const doc: GraphDocument = {
  format: 'layerboard.graph',
  version: 1,
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [2] } },
    { id: 'h', type: 'Dense', params: { units: 3, activation: 'tanh' } },
    { id: 'out', type: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ],
  edges: [{ source: 'in', target: 'h' }, { source: 'h', target: 'out' }],
};
const chain = denseChain(compile(doc)).chain!;
const weights: LayerWeights[] = [
  { nodeId: 'h', kernel: Float32Array.from([0.5, -1.5, 0.25, -0.75, 1, 2]), bias: Float32Array.from([0.1, -0.2, 0]) },
  { nodeId: 'out', kernel: Float32Array.from([-3, 0.05, 1.25]), bias: Float32Array.from([0.3]) },
];
const ORANGE = 'rgb(232,121,15)';
const BLUE = 'rgb(8,119,189)';

function links() {
  return screen.getAllByTestId('neuron-weight').map((g) => {
    const line = g.querySelector('line')!;
    return { g, w: Number(g.dataset.weight), width: Number(line.getAttribute('stroke-width')), stroke: line.getAttribute('stroke') };
  });
}

test('one circle per input and unit; widths ordered as |w|, the largest 6; orange negative, blue positive', () => {
  render(<NeuronView chain={chain} weights={weights} plane={{ domain: [-6, 6], pointScale: 6 }} editable onSetWeight={async () => null} />);
  expect(screen.getByTestId('neuron-view')).toBeInTheDocument();
  expect(screen.getAllByTestId('neuron').map((n) => n.dataset.col)).toEqual(['0', '0', '1', '1', '1', '2']);
  const all = links();
  expect(all).toHaveLength(2 * 3 + 3 * 1);
  expect(all.map((l) => l.w)).toEqual(Array.from(Float32Array.from([0.5, -1.5, 0.25, -0.75, 1, 2, -3, 0.05, 1.25])));
  const byAbs = [...all].sort((a, b) => Math.abs(a.w) - Math.abs(b.w));
  for (let i = 1; i < byAbs.length; i++) expect(byAbs[i].width).toBeGreaterThan(byAbs[i - 1].width);
  expect(byAbs[byAbs.length - 1].width).toBeCloseTo(6, 6);
  for (const l of all) expect(l.stroke).toBe(l.w < 0 ? ORANGE : BLUE);
});

test('a connection opens its editor: the value, Enter sets it through the action, Escape closes', async () => {
  const onSetWeight = jest.fn(async () => null);
  render(<NeuronView chain={chain} weights={weights} plane={null} editable onSetWeight={onSetWeight} />);
  const link = links().find((l) => l.w === -0.75)!;
  expect(link.g).toHaveAccessibleName('Weight from x2 to h 1: −0.750');
  fireEvent.click(link.g);
  const pop = screen.getByRole('dialog', { name: 'Weight x2 → h 1' });
  expect(within(pop).getByTestId('weight-value')).toHaveTextContent('−0.750');
  const input = within(pop).getByTestId('weight-input');
  expect(input).toHaveFocus();
  fireEvent.change(input, { target: { value: '2.5' } });
  await act(async () => {
    fireEvent.keyDown(input, { key: 'Enter' });
  });
  expect(onSetWeight).toHaveBeenCalledWith({ nodeId: 'h', from: 1, to: 0, value: 2.5 });
  expect(screen.queryByTestId('weight-popover')).toBeNull();

  // A neuron's bias, by keyboard; a refused value shows the reason; Escape closes.
  onSetWeight.mockImplementationOnce(async () => 'Pause the run to set a weight.' as never);
  const out = screen.getAllByTestId('neuron').find((n) => n.dataset.col === '2')!;
  fireEvent.keyDown(out, { key: 'Enter' });
  const bias = screen.getByRole('dialog', { name: 'Bias of out' });
  fireEvent.change(within(bias).getByTestId('weight-input'), { target: { value: '-1' } });
  await act(async () => {
    fireEvent.keyDown(within(bias).getByTestId('weight-input'), { key: 'Enter' });
  });
  expect(onSetWeight).toHaveBeenLastCalledWith({ nodeId: 'out', bias: true, to: 0, value: -1 });
  expect(within(bias).getByRole('alert')).toHaveTextContent('Pause the run');
  fireEvent.keyDown(within(bias).getByTestId('weight-input'), { key: 'Escape' });
  expect(screen.queryByTestId('weight-popover')).toBeNull();
});

test('while a run trains the editor shows the value and why it cannot be set', () => {
  render(<NeuronView chain={chain} weights={weights} plane={null} editable="Pause the run to set a weight." onSetWeight={async () => null} />);
  fireEvent.click(links()[0].g);
  expect(screen.queryByTestId('weight-input')).toBeNull();
  expect(screen.getByTestId('weight-popover')).toHaveTextContent('Pause the run to set a weight.');
});

test('hovering a neuron shows its formula with the numbers', () => {
  render(<NeuronView chain={chain} weights={weights} plane={null} editable onSetWeight={async () => null} />);
  fireEvent.mouseEnter(screen.getAllByTestId('neuron')[3]);
  expect(screen.getByTestId('neuron-formula')).toHaveTextContent('h 2 = tanh(−1.500·x1 + 1.000·x2 − 0.200)');
});

test('the step-through: forward numbers, the loss, and the backward table with W − η·∇', () => {
  const x = Float32Array.from([0.4, -0.8, 1, 1]);
  const y = Float32Array.from([1, 0]);
  render(
    <NeuronView
      chain={chain} weights={weights} plane={null} editable onSetWeight={async () => null}
      stepThrough={{ examples: { x, y, n: 2, xScale: 1 }, task: 'classification', loss: 'binaryCrossentropy', eta: 0.5, optimizer: 'adam' }}
    />,
  );
  expect(screen.getByTestId('neuron-step')).toHaveTextContent('trains with Adam');
  expect(screen.queryByTestId('step-numbers')).toBeNull();
  fireEvent.click(screen.getByTestId('step-forward'));
  expect(screen.getByTestId('step-numbers')).toHaveTextContent('x = (x1 = 0.400, x2 = −0.800), target class 1 (y = 1)');
  const ref = backprop(chain, weights, [0.4, -0.8], [1], 'binaryCrossentropy', 0.5);
  const units = screen.getAllByTestId('step-forward-unit');
  expect(units).toHaveLength(4);
  expect(units[0]).toHaveTextContent(`z = 0.500·0.400 − 0.750·(−0.800) + 0.100 = ${fmt(ref.forward[0].z[0])} → a = ${fmt(ref.forward[0].a[0])}`);
  expect(screen.getByTestId('step-loss')).toHaveTextContent(`L = ${fmt(ref.loss)}`);
  expect(screen.queryByTestId('step-backward-table')).toBeNull();
  fireEvent.click(screen.getByTestId('step-backward'));
  const tables = screen.getAllByTestId('step-backward-table');
  // Output layer first (backpropagation runs backwards); its row "h 1" is w = −3.
  expect(tables).toHaveLength(2);
  const row = within(tables[0]).getByRole('row', { name: /^h 1/ });
  expect(row).toHaveTextContent(`∇ ${fmt(ref.layers[1].dW[0])}−3.000 → ${fmt(ref.layers[1].updated.kernel[0])}`);
  expect(ref.layers[1].updated.kernel[0]).toBeCloseTo(-3 - 0.5 * ref.layers[1].dW[0], 6);
  fireEvent.click(screen.getByTestId('step-next'));
  expect(screen.getByTestId('step-index')).toHaveValue(1);
});

test('a heatmap is a 24-bit BMP of the map, top row first on screen: lowest value orange, highest blue, the middle grey', () => {
  const g = 3;
  // Row 0 (the top of the plane): lo, middle, hi; the other rows hi.
  const values = Float32Array.from([-1, 0, 1, 1, 1, 1, 1, 1, 1]);
  const url = heatmapUrl(values, g, [-1, 1]);
  expect(url.startsWith('data:image/bmp;base64,')).toBe(true);
  const bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  expect(String.fromCharCode(bytes[0], bytes[1])).toBe('BM');
  expect(view.getUint32(2, true)).toBe(bytes.length);
  expect([view.getInt32(18, true), view.getInt32(22, true), view.getUint16(28, true)]).toEqual([3, 3, 24]);
  const row = 12; // 3 pixels × 3 bytes, padded to 4
  expect(bytes.length).toBe(54 + row * g);
  // BMP rows run bottom-up: the top row of the plane is the file's last row. Pixels are B, G, R.
  const pixel = (y: number, x: number) => {
    const at = 54 + (g - 1 - y) * row + 3 * x;
    return [bytes[at + 2], bytes[at + 1], bytes[at]];
  };
  expect(pixel(0, 0)).toEqual([232, 121, 15]);
  expect(pixel(0, 1)).toEqual([232, 234, 235]);
  expect(pixel(0, 2)).toEqual([8, 119, 189]);
  expect(pixel(2, 0)).toEqual([8, 119, 189]);
});

describe('the neuron card of a graph the view cannot draw', () => {
  const props = { seed: 1, dataset: null, loss: null, eta: 0.1, optimizer: 'adam' as const, preferBackend: 'cpu' as const };

  test('a dense chain too wide to draw (the Spiral MLP): the card says which layer and what the view draws', () => {
    const result = compile(spiralMlp);
    render(<NeuronCard doc={spiralMlp} result={result} {...props} />);
    expect(screen.getByTestId('neuron-too-wide')).toHaveTextContent('"hidden1" has 64 units; the neuron view draws layers of at most 10. With at most 10 inputs and units a layer');
    expect(screen.queryByTestId('neuron-view')).toBeNull();
  });

  test('a graph that is not a dense chain (a convnet): no card at all', () => {
    const convnet = templateById('mnist-convnet')!.doc;
    const { container } = render(<NeuronCard doc={convnet} result={compile(convnet)} {...props} />);
    expect(container).toBeEmptyDOMElement();
  });
});
