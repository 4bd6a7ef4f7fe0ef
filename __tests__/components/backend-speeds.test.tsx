/**
 * @jest-environment jsdom
 */
/**
 * The CPU vs GPU card: one row per measured backend with its rate, the bar widths in the
 * rates' ratio, the picked one marked, the reason sentence; a forced backend shows the run's
 * own rate; and the waiting line while "auto" measures.
 */
import { render, screen, within } from '@testing-library/react';
import { BackendSpeeds } from '@/components/training/BackendSpeeds';

describe('BackendSpeeds', () => {
  test('both measured rates, the faster picked, the ratio and why', () => {
    render(<BackendSpeeds report={{ picked: 'cpu', how: 'measured', speeds: { cpu: 4200, webgl: 1000 }, model: '2-8-8-1 network', batchSize: 10 }} measuring={false} runExamplesPerSecond={3900} />);
    const card = screen.getByTestId('backend-speeds');
    expect(card.getAttribute('data-picked')).toBe('cpu');
    const cpu = screen.getByTestId('backend-speed-cpu');
    const webgl = screen.getByTestId('backend-speed-webgl');
    expect(cpu.textContent).toContain('4,200');
    expect(webgl.textContent).toContain('1,000');
    expect(within(cpu).getByText('trains')).toBeTruthy();
    expect(within(webgl).queryByText('trains')).toBeNull();
    const width = (row: HTMLElement) => (row.querySelector('.lb-speeds__bar') as HTMLElement).style.width;
    expect(width(cpu)).toBe('100%');
    expect(parseFloat(width(webgl))).toBeCloseTo((100 * 1000) / 4200, 3);
    expect(screen.getByTestId('backend-reason').textContent).toBe(
      'CPU is 4.2× faster than WebGL for this 2-8-8-1 network: small matrices cost more to send to the GPU and read back than to multiply.',
    );
    expect(card.textContent).toContain('measured on your 2-8-8-1 network');
  });

  test('a forced backend: the run’s own rate, one row', () => {
    render(<BackendSpeeds report={{ picked: 'webgl', how: 'forced', speeds: {}, model: 'convnet', batchSize: 32 }} measuring={false} runExamplesPerSecond={78.04} />);
    expect(screen.queryByTestId('backend-speed-cpu')).toBeNull();
    expect(screen.getByTestId('backend-speed-webgl').textContent).toContain('78.0');
    expect(screen.getByTestId('backend-reason').textContent).toMatch(/^WebGL was chosen in the run bar/);
  });

  test('a forced backend after an "auto" run of the same model measured both: both rows, the chosen one trains', () => {
    render(<BackendSpeeds report={{ picked: 'webgl', how: 'forced', speeds: { cpu: 4200, webgl: 1000 }, model: '2-8-8-1 network', batchSize: 10 }} measuring={false} runExamplesPerSecond={950} />);
    expect(screen.getByTestId('backend-speed-cpu').dataset.value).toBe('4200.000');
    expect(screen.getByTestId('backend-speed-webgl').dataset.value).toBe('1000.000');
    expect(screen.getByTestId('backend-speed-webgl').textContent).toContain('trains');
    expect(screen.getByTestId('backend-speeds').textContent).toContain('WebGL chosen in the run bar; both measured at an earlier run of this 2-8-8-1 network');
    expect(screen.getByTestId('backend-reason').textContent).toBe(
      'CPU is 4.2× faster than WebGL for this 2-8-8-1 network: small matrices cost more to send to the GPU and read back than to multiply. WebGL was chosen in the run bar.',
    );
  });

  test('while measuring, and before any run', () => {
    const { rerender } = render(<BackendSpeeds report={null} measuring runExamplesPerSecond={0} />);
    expect(screen.getByTestId('backend-speeds').textContent).toMatch(/Training a few batches of your model on the CPU and on WebGL/);
    rerender(<BackendSpeeds report={null} measuring={false} runExamplesPerSecond={0} />);
    expect(screen.getByTestId('backend-speeds').querySelector('table')).toBeNull();
    expect(screen.getByTestId('backend-speeds').textContent).toMatch(/measured when a run starts/);
  });
});
