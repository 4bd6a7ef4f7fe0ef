/** The remaining-time estimate: smooth, counting down, and right once the run settles. */
import { RemainingTime } from '@/lib/training/eta';
import { mulberry32 } from '@/lib/datasets/rng';

/**
 * A simulated run: 10 epochs of 50 batches, the first two batches slow (shader compilation),
 * each batch 100 ms ± 40 %, and a 1.5 s validation pass at the end of every epoch.
 */
function simulate(eta: RemainingTime) {
  const rand = mulberry32(7);
  const epochs = 10;
  const batches = 50;
  const out: { now: number; shown: number }[] = [];
  let now = 0;
  eta.begin(now);
  for (let e = 1; e <= epochs; e++) {
    for (let b = 1; b <= batches; b++) {
      now += e === 1 && b <= 2 ? 3000 : 100 * (0.6 + 0.8 * rand());
      out.push({ now, shown: eta.update(now, e, b) });
    }
    now += 1500;
    eta.endEpoch(now);
  }
  return { out, end: now };
}

describe('RemainingTime', () => {
  it('does not jump: after the first epoch it never rises by more than 5 % between batches', () => {
    const { out } = simulate(new RemainingTime(50, 10));
    for (let i = 51; i < out.length; i++) expect(out[i].shown).toBeLessThanOrEqual(out[i - 1].shown * 1.05 + 1);
  });

  it('is within 15 % of the time really left from the third epoch on, and 0 at the end', () => {
    const { out, end } = simulate(new RemainingTime(50, 10));
    for (let i = 100; i < out.length - 1; i++) {
      // The time really left, validation passes included.
      const truth = end - out[i].now;
      expect(Math.abs(out[i].shown - truth)).toBeLessThan(0.15 * truth + 1500);
    }
    expect(out[out.length - 1].shown).toBe(0);
  });

  it('leaves the slow first batches out of the first epoch’s rate', () => {
    const eta = new RemainingTime(100, 1);
    eta.begin(0);
    eta.update(3000, 1, 1);
    eta.update(6000, 1, 2);
    let shown = 0;
    for (let b = 3; b <= 20; b++) shown = eta.update(6000 + (b - 2) * 100, 1, b);
    // 80 batches of 100 ms are left; the estimate is on its way there from its first, slow value.
    expect(shown).toBeLessThan(3000 * 98);
    expect(shown).toBeGreaterThan(80 * 100 * 0.5);
  });
});
