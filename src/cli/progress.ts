/**
 * Per-epoch progress: a redrawn bar (batches done, ETA, running loss, samples/s) on a terminal,
 * a few plain log lines (every quarter of the epoch) when stdout is a file or a pipe.
 */

/** Where progress goes: a stream with `write`, and whether it is a terminal. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

/** Progress of one epoch; call `update` after each batch and `done` at the end. */
export class EpochProgress {
  private readonly start = performance.now();
  private lastDraw = 0;
  private samples = 0;
  private lossSum = 0;
  private batches = 0;
  private nextQuarter = 1;

  constructor(
    private readonly out: Output | null,
    private readonly label: string,
    private readonly totalBatches: number,
  ) {}

  /** The mean loss of the batches so far (weighted by batch size). */
  get meanLoss(): number {
    return this.lossSum / Math.max(this.samples, 1);
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  update(loss: number, batchSize: number): void {
    this.batches += 1;
    this.samples += batchSize;
    this.lossSum += loss * batchSize;
    if (!this.out) return;
    const now = performance.now();
    if (this.out.isTTY) {
      if (now - this.lastDraw < 100 && this.batches < this.totalBatches) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line()}\x1b[K`);
    } else if (this.batches >= (this.nextQuarter * this.totalBatches) / 4 && this.nextQuarter < 4) {
      this.nextQuarter += 1;
      this.out.write(`${this.line()}\n`);
    }
  }

  done(): void {
    if (this.out?.isTTY) this.out.write(`\r${this.line()}\x1b[K\n`);
  }

  private line(): string {
    const t = this.elapsedSeconds;
    const width = 24;
    const filled = Math.round((this.batches / this.totalBatches) * width);
    const eta = (t / this.batches) * (this.totalBatches - this.batches);
    const bar = this.out?.isTTY ? `[${"#".repeat(filled)}${".".repeat(width - filled)}] ` : "";
    return (
      `${this.label} ${bar}${this.batches}/${this.totalBatches} ` +
      `ETA ${clock(eta)} loss ${this.meanLoss.toFixed(4)} ${Math.round(this.samples / t)} samples/s`
    );
  }
}
