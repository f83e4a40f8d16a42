/**
 * Writing a run's progress files (mnist.json, metrics.csv, the figure), whose cost grows with the copies, without
 * that cost growing with the square of the copies: written after every epoch, n copies would rewrite n copies' files
 * n × epochs times. Instead, after a write that took d ms the next waits until `spare` × d ms have passed (9: writing
 * takes at most a tenth of the wall time), so a small run still writes after every epoch and a large one every few.
 */
export class ProgressWriter {
  /** When (ms, on `clock`) the next write by `soon` may happen. */
  private nextAtMs = -Infinity;

  constructor(private readonly write: () => void, private readonly clock: () => number = () => performance.now(), private readonly spare = 9) {}

  /** Writes if the last write was long enough ago; returns whether it wrote. */
  soon(): boolean {
    if (this.clock() < this.nextAtMs) return false;
    this.now();
    return true;
  }

  /** Writes at once (the first write, the last, and on Ctrl-C). */
  now(): void {
    const startMs = this.clock();
    this.write();
    const endMs = this.clock();
    this.nextAtMs = endMs + this.spare * (endMs - startMs);
  }
}
