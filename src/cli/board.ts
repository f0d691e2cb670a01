/**
 * The progress line of several trainings at once (`reproduce`, `compare
 * --jobs`): every running job with its epoch and how far it is, how many are
 * done, and one ETA for the whole set. Pure bookkeeping; main.ts draws it.
 */
import type { BatchProgress, EpochProgress } from '../core/models/train.ts';
import { formatEta } from './format.ts';

interface JobState {
  epoch: number;
  epochs: number;
  /** Fraction of this job done, 0..1 (counting every planned epoch). */
  fraction: number;
  /** A step without a fraction, e.g. "evaluating on 10,000 test images". */
  stage?: string;
}

/** Running jobs by label, in the order they started. */
export class JobBoard {
  private readonly running = new Map<string, JobState>();
  private done = 0;
  private startedAt: number | undefined;

  /** `total` jobs will run; `now` is for tests. */
  constructor(
    readonly total: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(label: string, epochs: number): void {
    this.startedAt ??= this.now();
    this.running.set(label, { epoch: 1, epochs, fraction: 0 });
  }

  batch(label: string, p: BatchProgress): void {
    const job = this.running.get(label);
    if (job) Object.assign(job, { epoch: p.epoch, fraction: p.fraction, stage: undefined });
  }

  epoch(label: string, p: EpochProgress): void {
    const job = this.running.get(label);
    if (!job) return;
    // Early stopping ends a run before its planned epochs: it is then all done.
    const last = p.epoch === p.epochs || p.etaSeconds === 0;
    Object.assign(job, {
      epoch: Math.min(p.epoch + 1, p.epochs),
      epochs: p.epochs,
      fraction: last ? 1 : p.epoch / p.epochs,
      stage: undefined,
    });
  }

  stage(label: string, text: string): void {
    const job = this.running.get(label);
    if (job) job.stage = text;
  }

  finish(label: string): void {
    if (this.running.delete(label)) this.done++;
  }

  /** Labels of the jobs running now. */
  get labels(): string[] {
    return [...this.running.keys()];
  }

  /** Fraction of the whole set done, 0..1: each job counts as 1/total. */
  get fraction(): number {
    let sum = this.done;
    for (const job of this.running.values()) sum += job.fraction;
    return this.total > 0 ? sum / this.total : 1;
  }

  /** Seconds left at the pace so far, or undefined before any progress. */
  get etaSeconds(): number | undefined {
    const f = this.fraction;
    if (this.startedAt === undefined || f <= 0) return undefined;
    const elapsed = (this.now() - this.startedAt) / 1000;
    return (elapsed * (1 - f)) / f;
  }

  /** E.g. `3/11 done · AE k=2 epoch 4/50 31% · VAE evaluating… · ETA 5m10s`. */
  line(): string {
    const parts = [`${this.done}/${this.total} done`];
    for (const [label, job] of this.running) {
      parts.push(
        job.stage
          ? `${label} ${job.stage}…`
          : `${label} epoch ${job.epoch}/${job.epochs} ${Math.floor(100 * job.fraction)}%`,
      );
    }
    const eta = this.etaSeconds;
    if (eta !== undefined) parts.push(`ETA ${formatEta(eta)}`);
    return parts.join(' · ');
  }
}
