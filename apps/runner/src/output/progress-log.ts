import type { BatchProgress } from './events.js';
import { formatLoss, formatRate, formatSeconds } from './format.js';
import type { TextStream } from './terminal.js';

/** What the bar and the plain lines show: share of the epoch done, samples/s, seconds left. */
export function progressStats(progress: BatchProgress): { fraction: number; rate: number; eta: number } {
  const fraction = progress.samplesTotal > 0 ? progress.samplesDone / progress.samplesTotal : 0;
  const rate = progress.elapsed > 0 ? progress.samplesDone / progress.elapsed : 0;
  const eta = rate > 0 ? (progress.samplesTotal - progress.samplesDone) / rate : Number.NaN;
  return { fraction, rate, eta };
}

/** `epoch  2/10  45%  loss 0.3121  12,000 samples/s  ETA 25s`, laid out like the epoch lines. */
export function progressLine(progress: BatchProgress): string {
  const { fraction, rate, eta } = progressStats(progress);
  const width = String(progress.epochs).length;
  return [
    `epoch ${String(progress.epoch).padStart(width)}/${progress.epochs}`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `loss ${formatLoss(progress.loss)}`,
    `${formatRate(rate)} samples/s`,
    `ETA ${formatSeconds(eta)}`,
  ].join('  ');
}

/**
 * Progress for output that is not redrawn in place (a log file, a pipe, a NO_COLOR terminal):
 * one plain line every `everyMs` of training, so a long epoch still shows it is alive, while a
 * short one prints nothing but its epoch line. The end of an epoch prints nothing either: the
 * epoch line follows at once.
 */
export class ProgressLog {
  private last: number | undefined;

  constructor(
    private readonly stream: TextStream,
    private readonly everyMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Another line was just written (an epoch line, a note): the interval counts from here. */
  restart(): void {
    this.last = this.now();
  }

  update(progress: BatchProgress): void {
    if (this.everyMs <= 0) return;
    const t = this.now();
    if (this.last === undefined) this.last = t;
    if (t - this.last < this.everyMs || progress.samplesDone >= progress.samplesTotal) return;
    this.last = t;
    this.stream.write(`${progressLine(progress)}\n`);
  }
}
