/**
 * @jest-environment jsdom
 */
/**
 * The kernel grid and its preview in the inspector: a preset's weights in a 3×3 grid, an edit
 * making the preset custom in the document; the preview's window sums the 9 products as worked
 * out by hand (zero padding at the border); the feature-maps section waits to be asked.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { Inspector } from '@/components/inspector/Inspector';
import { ConvolutionView } from '@/components/inspector/KernelPreview';
import { convolve2d, displayValue, PRESET_KERNELS, windowSum, type GrayImage } from '@/graph-compiler/conv-kernels';
import type { GraphDocument } from '@/graph-compiler';
import { resetEditorStore, useEditorStore } from '@/lib/store';
import { useTrainingSession } from '@/lib/training/session';

const state = () => useEditorStore.getState();
const doc: GraphDocument = {
  format: 'layerboard.graph', version: 1, name: 'Filters',
  nodes: [
    { id: 'x', type: 'Input', params: { shape: [28, 28, 1] } },
    { id: 'edges', type: 'Conv2D', params: { filters: 1, kernelSize: 3, padding: 'same', kernelPreset: 'edgeHorizontal' } },
  ],
  edges: [{ source: 'x', target: 'edges' }],
};
const params = () => state().doc.nodes.find((n) => n.id === 'edges')!.params;

describe('kernel grid', () => {
  beforeEach(() => resetEditorStore(doc));

  it('shows the preset’s 9 weights row by row, and an edit makes the preset custom', () => {
    render(<Inspector />);
    act(() => state().setSelection(['edges']));
    const grid = screen.getByTestId('kernel-grid');
    const cells = within(grid).getAllByRole('textbox');
    // Row-major in the document, hence in Tab order.
    expect(cells.map((c) => c.getAttribute('aria-label'))).toEqual([1, 2, 3].flatMap((r) => [1, 2, 3].map((c) => `row ${r}, column ${c}`)));
    expect(cells.map((c) => Number((c as HTMLInputElement).value))).toEqual(PRESET_KERNELS.edgeHorizontal.flat());
    // The rows-text field is replaced by the grid.
    expect(screen.queryByTestId('field-kernel')).toBeNull();
    expect(screen.getByTestId('kernel-preview')).toBeInTheDocument();

    fireEvent.change(within(grid).getByLabelText('row 2, column 2'), { target: { value: '2' } });
    expect(params().kernelPreset).toBe('custom');
    expect(params().kernel).toEqual([[-1, -1, -1], [0, 2, 0], [1, 1, 1]]);
    // A half-typed number stays in the cell and does not reach the document.
    fireEvent.change(within(grid).getByLabelText('row 1, column 1'), { target: { value: '-' } });
    expect((within(grid).getByLabelText('row 1, column 1') as HTMLInputElement).value).toBe('-');
    expect(params().kernel).toEqual([[-1, -1, -1], [0, 2, 0], [1, 1, 1]]);
    fireEvent.change(within(grid).getByLabelText('row 1, column 1'), { target: { value: '-0.5' } });
    expect(params().kernel).toEqual([[-0.5, -1, -1], [0, 2, 0], [1, 1, 1]]);
  });

  it('is not shown for a learned kernel', () => {
    resetEditorStore({ ...doc, nodes: doc.nodes.map((n) => (n.id === 'edges' ? { ...n, params: { filters: 4, kernelSize: 3 } } : n)) });
    render(<Inspector />);
    act(() => state().setSelection(['edges']));
    expect(screen.queryByTestId('kernel-grid')).toBeNull();
    expect(screen.queryByTestId('kernel-preview')).toBeNull();
  });

  it('offers feature maps without loading TensorFlow.js until asked', () => {
    render(<Inspector />);
    act(() => state().setSelection(['edges']));
    const section = screen.getByTestId('feature-maps');
    expect(section).toHaveAttribute('data-state', 'closed');
    expect(within(section).getByRole('button', { name: 'Show feature maps' })).toBeEnabled();
    expect(useTrainingSession.getState().backend).toBeNull();
  });
});

describe('kernel preview', () => {
  // 5×5, pixel (r, c) = 5r + c: every window's sum is easy to work out by hand.
  const image: GrayImage = { width: 5, height: 5, data: Float32Array.from({ length: 25 }, (_, p) => p) };
  const sum = () => Number(screen.getByTestId('kernel-preview-sum').getAttribute('data-sum'));

  it('sums the 9 products under the window, with zeros outside the image', () => {
    render(<ConvolutionView image={image} kernel={PRESET_KERNELS.sharpen} />);
    // Centre (2, 2): 5·12 − (7 + 11 + 13 + 17) = 12.
    expect(sum()).toBe(12);
    expect(screen.getByTestId('kernel-preview-sum')).toHaveTextContent('5×12');
    const images = screen.getByRole('group', { name: /Window at row 3, column 3/ });
    fireEvent.keyDown(images, { key: 'ArrowLeft' });
    fireEvent.keyDown(images, { key: 'ArrowLeft' });
    // (2, 0): 5·10 − (5 + 15 + 11 + 0) = 19.
    expect(sum()).toBe(19);
    fireEvent.keyDown(images, { key: 'ArrowUp' });
    fireEvent.keyDown(images, { key: 'ArrowUp' });
    fireEvent.keyDown(images, { key: 'ArrowUp' });
    // (0, 0), clamped at the corner: 5·0 − (1 + 5) = −6.
    expect(screen.getByTestId('kernel-preview-sum')).toHaveAttribute('data-row', '0');
    expect(sum()).toBe(-6);
  });

  it('follows a change of the kernel (the same window, new weights)', () => {
    const { rerender } = render(<ConvolutionView image={image} kernel={PRESET_KERNELS.sharpen} />);
    rerender(<ConvolutionView image={image} kernel={PRESET_KERNELS.edgeVertical} />);
    // (2, 2): (8 + 13 + 18) − (6 + 11 + 16) = 6.
    expect(sum()).toBe(6);
  });

  it('works out every output pixel of the convolution the preview draws', () => {
    for (const kernel of Object.values(PRESET_KERNELS)) {
      const out = convolve2d(image, kernel, 'same');
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(windowSum(image, kernel, i, j).sum).toBeCloseTo(out.data[i * 5 + j], 5);
    }
  });

  it('shows |y| clipped to [0, 1], the same for every kernel', () => {
    expect([-6, -0.25, 0, 0.5, 3].map(displayValue)).toEqual([1, 0.25, 0, 0.5, 1]);
  });
});
