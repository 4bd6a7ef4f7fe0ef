/**
 * @jest-environment jsdom
 */
// Checks the jsdom polyfills in jest.setup.ts: React Flow renders and measures nodes.
import { render, screen, waitFor } from '@testing-library/react';
import { ReactFlow, type Edge, type Node } from '@xyflow/react';

const nodes: Node[] = [
  { id: 'in', position: { x: 0, y: 0 }, data: { label: 'Input 28×28×1' } },
  { id: 'dense', position: { x: 0, y: 120 }, data: { label: 'Dense 10' } },
];
const edges: Edge[] = [{ id: 'in-dense', source: 'in', target: 'dense' }];

describe('jsdom setup for React Flow', () => {
  it('renders measured, visible nodes and their edge', async () => {
    const { container } = render(
      <div style={{ width: 800, height: 600 }}>
        <ReactFlow nodes={nodes} edges={edges} />
      </div>,
    );

    expect(await screen.findByText('Input 28×28×1')).toBeInTheDocument();
    expect(screen.getByText('Dense 10')).toBeInTheDocument();
    // Nodes stay `visibility: hidden` until ResizeObserver has delivered their size.
    await waitFor(() => {
      const rendered = container.querySelectorAll<HTMLElement>('.react-flow__node');
      expect(rendered).toHaveLength(2);
      rendered.forEach((node) => expect(node).toBeVisible());
    });
    await waitFor(() => expect(container.querySelector('.react-flow__edge')).not.toBeNull());
  });

  it('stubs canvas contexts instead of throwing', () => {
    expect(document.createElement('canvas').getContext('webgl2')).toBeNull();
  });
});
