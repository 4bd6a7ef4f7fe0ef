/**
 * The remaining-time estimate of a run, smoothed so that it does not jump. A raw estimate
 * (batches left × time per batch) jumps for three reasons: the first batches are slow (WebGL
 * compiles its shaders), every epoch ends with a validation pass that batches do not see, and
 * single batches vary. So the time per batch is measured on the wall clock, pauses excluded,
 * validation included: over the first epoch as a running mean (the first batches left out once
 * there are others), then as an exponentially weighted moving average (EWMA) of whole epochs.
 * The shown figure counts down with the clock between updates and moves only part of the way
 * towards each new raw estimate.
 */
export interface EtaOptions {
  /** Weight of the newest epoch in the EWMA of the epoch time. */
  epochAlpha?: number;
  /** How far the shown figure moves towards a new raw estimate at each update, 0 to 1. */
  follow?: number;
  /** Batches at the start of a run left out of the first epoch's mean (shader compilation). */
  warmup?: number;
}

export class RemainingTime {
  private readonly epochAlpha: number;
  private readonly follow: number;
  private readonly warmup: number;
  private epochMs: number | null = null;
  private epochStart: number | null = null;
  private firstStart: number | null = null;
  private firstSteps = 0;
  private warmEnd: number | null = null;
  private shown: number | null = null;
  private lastNow = 0;

  constructor(
    /** Batches per epoch and epochs of the run. */
    private readonly batchesPerEpoch: number,
    private readonly epochs: number,
    o: EtaOptions = {},
  ) {
    this.epochAlpha = o.epochAlpha ?? 0.3;
    this.follow = o.follow ?? 0.15;
    this.warmup = o.warmup ?? 2;
  }

  /** The run (re)starts its clock at `now` (ms, pauses excluded by the caller). */
  begin(now: number): void {
    this.firstStart = now;
    this.epochStart = now;
    this.lastNow = now;
  }

  /** An epoch ended at `now`, validation included. */
  endEpoch(now: number): void {
    if (this.epochStart === null) return;
    let ms = now - this.epochStart;
    // The first epoch without its warm-up batches, scaled to a whole epoch.
    const clean = this.batchesPerEpoch - this.warmup;
    if (this.epochMs === null && this.warmEnd !== null && clean > 0) ms = ((now - this.warmEnd) * this.batchesPerEpoch) / clean;
    this.epochMs = this.epochMs === null ? ms : this.epochAlpha * ms + (1 - this.epochAlpha) * this.epochMs;
    this.epochStart = now;
  }

  /** Time per batch, or null before there is anything to go by. */
  private perBatch(now: number): number | null {
    if (this.epochMs !== null) return this.epochMs / this.batchesPerEpoch;
    if (this.firstStart === null || this.firstSteps === 0) return null;
    if (this.warmEnd !== null && this.firstSteps > this.warmup) return (now - this.warmEnd) / (this.firstSteps - this.warmup);
    return (now - this.firstStart) / this.firstSteps;
  }

  /**
   * The estimate after batch `batch` (1-based) of epoch `epoch` (1-based) ended at `now`:
   * the milliseconds left, or 0 before the first batch.
   */
  update(now: number, epoch: number, batch: number): number {
    if (this.firstStart === null) this.begin(now);
    if (epoch === 1) {
      this.firstSteps = batch;
      if (batch === this.warmup) this.warmEnd = now;
    }
    const per = this.perBatch(now);
    if (per === null) return 0;
    const left = (this.epochs - epoch) * this.batchesPerEpoch + (this.batchesPerEpoch - batch);
    const raw = left * per;
    const prev = this.lastNow;
    this.lastNow = now;
    // Until the warm-up is over the guess is rough: shown as it is, and not carried on.
    if (epoch === 1 && batch <= this.warmup) {
      this.shown = null;
      return raw;
    }
    const counted = this.shown === null ? raw : Math.max(0, this.shown - (now - prev));
    this.shown = this.shown === null ? raw : counted + this.follow * (raw - counted);
    return left === 0 ? 0 : this.shown;
  }
}
