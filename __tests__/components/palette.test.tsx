/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { LAYERS } from '@/graph-compiler';
import { Palette } from '@/components/palette/Palette';
import { resetEditorStore, useEditorStore } from '@/lib/store';

describe('Palette', () => {
  beforeEach(() => resetEditorStore());

  it('lists every layer type, grouped by category', () => {
    render(<Palette />);
    for (const l of LAYERS) expect(screen.getByTestId(`palette-item-${l.type}`)).toHaveTextContent(l.type);
    const convolution = screen.getByRole('heading', { name: 'Convolution' }).closest('section')!;
    // The section holds exactly the registry's convolution types, in registry order (a new module adds itself).
    const convolutionTypes = LAYERS.filter((l) => l.category === 'convolution').map((l) => l.type);
    expect(convolutionTypes).toEqual(expect.arrayContaining(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']));
    expect(within(convolution).getAllByRole('button').map((b) => b.textContent)).toEqual(convolutionTypes);
    const headings = screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings).toEqual(expect.arrayContaining(['Core', 'Convolution', 'Pooling', 'Normalization', 'Merge', 'Activation']));
  });

  it('filters by name, alias or description', () => {
    render(<Palette />);
    const search = screen.getByTestId('palette-search');
    fireEvent.change(search, { target: { value: 'pool' } });
    expect(screen.getByTestId('palette-item-MaxPooling2D')).toBeInTheDocument();
    expect(screen.queryByTestId('palette-item-Dense')).toBeNull();
    fireEvent.change(search, { target: { value: 'skip' } });
    expect(screen.getByTestId('palette-item-Add')).toBeInTheDocument();
    fireEvent.change(search, { target: { value: 'zzzz' } });
    expect(screen.getByText(/No layer matches/)).toBeInTheDocument();
  });

  it('describes a layer on hover', () => {
    render(<Palette />);
    fireEvent.mouseEnter(screen.getByTestId('palette-item-Maxout'));
    const tip = screen.getByTestId('palette-tooltip');
    expect(tip).toHaveTextContent('max(w1ᵀx + b1');
    expect(tip).toHaveTextContent('units (required)');
    fireEvent.mouseLeave(screen.getByTestId('palette-item-Maxout'));
    expect(screen.queryByTestId('palette-tooltip')).toBeNull();
  });

  it('puts the layer type on the drag data, and adds a layer with Enter', () => {
    render(<Palette />);
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), effectAllowed: '' };
    fireEvent.dragStart(screen.getByTestId('palette-item-Conv2D'), { dataTransfer });
    expect(data.get('application/x-layerboard-layer')).toBe('Conv2D');

    fireEvent.keyDown(screen.getByTestId('palette-item-Dense'), { key: 'Enter' });
    expect(useEditorStore.getState().doc.nodes.map((n) => n.type)).toEqual(['Dense']);
  });
});
