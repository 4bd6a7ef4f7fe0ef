/**
 * @jest-environment jsdom
 */
/**
 * The activation plot draws the pure curves: its SVG path passes through f(x) at the plotted
 * points, the derivative beside it, with the course's caveat.
 */
import { render, screen } from '@testing-library/react';
import { ActivationPlot } from '@/components/inspector/ActivationPlot';
import { activationCurve } from '@/graph-compiler/activations/curves';

test('sigmoid: two curves over [−6, 6] and the caveat about saturation', () => {
  render(<ActivationPlot activation="sigmoid" />);
  const fig = screen.getByTestId('activation-plot');
  expect(fig.getAttribute('data-activation')).toBe('sigmoid');
  const f = fig.querySelector('[data-series="f"]')!.getAttribute('d')!;
  const df = fig.querySelector('[data-series="df"]')!.getAttribute('d')!;
  expect(f.split(/[ML]/).filter(Boolean)).toHaveLength(121);
  expect(df).not.toEqual(f);
  expect(fig.textContent).toContain(activationCurve('sigmoid').caveat);
});

test('leakyRelu shows its alpha; softmax its sample probabilities; Maxout its pieces', () => {
  const { unmount } = render(<ActivationPlot activation="leakyRelu" alpha={0.1} />);
  expect(screen.getByTestId('activation-plot').textContent).toContain('max(0.1·x, x)');
  unmount();
  render(<ActivationPlot activation="softmax" />);
  expect(screen.getByTestId('softmax-sample').textContent).toMatch(/0\.\d{3}/);
  render(<ActivationPlot activation="maxout" />);
  expect(document.querySelectorAll('.lb-actplot__piece')).toHaveLength(3);
});
