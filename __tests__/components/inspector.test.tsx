/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { Inspector } from '@/components/inspector/Inspector';
import { resetEditorStore, useEditorStore } from '@/lib/store';
import { templateById } from '@/lib/templates';

const state = () => useEditorStore.getState();
const select = (id: string) => act(() => state().setSelection([id]));
const field = (name: string) => screen.getByTestId(`field-${name}`);
const input = (name: string) => field(name).querySelector('input')!;
const param = (id: string, key: string) => state().doc.nodes.find((n) => n.id === id)!.params[key];

describe('Inspector', () => {
  beforeEach(() => resetEditorStore(templateById('lenet5')!.doc));

  it('describes the model when nothing is selected', () => {
    render(<Inspector />);
    expect(screen.queryByTestId('inspector')).toBeNull();
    expect(screen.getByText('61,706')).toBeInTheDocument();
  });

  it('generates the form from the layer spec', () => {
    render(<Inspector />);
    select('c1');
    const inspector = screen.getByTestId('inspector');
    expect(inspector).toHaveAttribute('data-node-id', 'c1');
    expect(input('filters')).toHaveAttribute('type', 'number');
    expect(input('filters')).toHaveAttribute('min', '1');
    expect(input('filters')).toHaveValue(6);
    expect(input('kernelSize')).toHaveValue('5');
    expect(within(field('padding')).getByRole('combobox')).toHaveValue('valid');
    expect(within(field('activation')).getByRole('combobox')).toHaveValue('tanh');
    expect(within(field('useBias')).getByRole('checkbox')).toBeChecked();
    expect(within(field('strides')).getByRole('textbox')).toHaveAttribute('placeholder', '1, 1');
  });

  it('shows leakyRelu’s alpha on a convolution only while leakyRelu is chosen', () => {
    render(<Inspector />);
    select('c1');
    expect(screen.queryByTestId('field-alpha')).toBeNull();
    act(() => state().updateParam('c1', 'activation', 'leakyRelu'));
    expect(field('alpha')).toBeInTheDocument();
    act(() => state().updateParam('c1', 'activation', 'relu'));
    expect(screen.queryByTestId('field-alpha')).toBeNull();
  });

  it('names the kernel presets in words, keeping the document’s value', () => {
    render(<Inspector />);
    select('c1');
    const presets = within(field('kernelPreset')).getByRole('combobox');
    expect(within(presets).getByRole('option', { name: 'edges: vertical' })).toHaveValue('edgeVertical');
    expect(within(presets).getByRole('option', { name: 'none (learned)' })).toHaveValue('none');
    fireEvent.change(presets, { target: { value: 'edgeVertical' } });
    expect(param('c1', 'kernelPreset')).toBe('edgeVertical');
  });

  it('shows the output-size and parameter arithmetic with the actual numbers', () => {
    render(<Inspector />);
    select('c1');
    expect(screen.getByTestId('shape-formula')).toHaveTextContent('(32 + 2·0 − 5)/1 + 1 = 28');
    expect(screen.getByTestId('param-formula')).toHaveTextContent('5·5·1·6 + 6 = 156');
    select('f5');
    expect(screen.getByTestId('param-formula')).toHaveTextContent('400·120 + 120 = 48120');
    expect(screen.queryByTestId('shape-formula')).toBeNull();
  });

  it('applies a valid value as it is typed', () => {
    render(<Inspector />);
    select('c1');
    fireEvent.change(input('filters'), { target: { value: '8' } });
    expect(param('c1', 'filters')).toBe(8);
    fireEvent.change(input('kernelSize'), { target: { value: '3, 5' } });
    expect(param('c1', 'kernelSize')).toEqual([3, 5]);
    fireEvent.change(within(field('activation')).getByRole('combobox'), { target: { value: 'relu' } });
    expect(param('c1', 'activation')).toBe('relu');
    fireEvent.click(within(field('useBias')).getByRole('checkbox'));
    expect(param('c1', 'useBias')).toBe(false);
  });

  it('shows a bad value beside its field and leaves the graph alone', () => {
    render(<Inspector />);
    select('f5');
    const before = state().doc;
    fireEvent.change(input('units'), { target: { value: '2.5' } });
    expect(screen.getByTestId('field-error-units')).toHaveTextContent('Must be a whole number ≥ 1.');
    expect(screen.getByTestId('field-error-units')).toHaveTextContent('the layer keeps 120');
    expect(input('units')).toHaveAttribute('aria-invalid', 'true');
    fireEvent.change(input('units'), { target: { value: '' } });
    expect(screen.getByTestId('field-error-units')).toHaveTextContent('Required');
    expect(state().doc).toBe(before);
    fireEvent.keyDown(input('units'), { key: 'Escape' });
    expect(input('units')).toHaveValue(120);
    expect(screen.queryByTestId('field-error-units')).toBeNull();
  });

  it('shows the compiler diagnostic about a param beside that param', () => {
    render(<Inspector />);
    select('c3');
    fireEvent.change(input('kernelSize'), { target: { value: '15' } });
    expect(param('c3', 'kernelSize')).toBe(15);
    expect(field('kernelSize')).toHaveTextContent('(14 + 2·0 − 15)/1 + 1 = 0 ≤ 0');
    expect(screen.getByTestId('inspector-shape')).toHaveTextContent('unknown');
  });

  it('renames a layer', () => {
    render(<Inspector />);
    select('f6');
    const name = screen.getByTestId('inspector-name');
    fireEvent.change(name, { target: { value: 'hidden 2' } });
    fireEvent.blur(name);
    expect(state().doc.nodes.find((n) => n.id === 'f6')!.label).toBe('hidden 2');
    expect(state().result.nodes.f6.name).toBe('hidden 2');
  });

  it('offers duplicate and delete for a multiple selection', () => {
    render(<Inspector />);
    act(() => state().setSelection(['c1', 's2']));
    expect(screen.getByTestId('inspector')).toHaveTextContent('2 layers selected');
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(state().doc.nodes).toHaveLength(8);
  });
});

describe('Inspector: direction controls in names', () => {
  beforeEach(() => resetEditorStore(templateById('lenet5')!.doc));

  it('writes the controls of a name out beside its field (an input cannot hold markup)', () => {
    render(<Inspector />);
    act(() => state().renameNode('c1', 'safe\u202Egpj.exe'));
    select('c1');
    expect(screen.getByTestId('inspector-name')).toHaveValue('safe\u202Egpj.exe');
    const note = screen.getByTestId('inspector-name-bidi');
    expect(note.textContent).toMatch(/direction controls/);
    expect(note.querySelector('bdi')!.textContent).toBe('safe⟨U+202E⟩gpj.exe');
    // The id line is isolated too.
    const idLine = [...document.querySelectorAll('p.lb-field__help')].find((p) => p.textContent === 'id c1');
    expect(idLine?.querySelector('bdi')?.textContent).toBe('c1');
  });

  it('shows no note for a plain name, nor for right-to-left letters', () => {
    render(<Inspector />);
    act(() => state().renameNode('c1', 'שכבה ראשונה'));
    select('c1');
    expect(screen.queryByTestId('inspector-name-bidi')).toBeNull();
  });
});
