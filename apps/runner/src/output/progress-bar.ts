import type { BatchProgress } from './events.js';
import { formatLoss, formatRate, formatSeconds } from './format.js';
import { progressStats } from './progress-log.js';
import type { Styles, Terminal } from './terminal.js';

const REDRAW_MS = 100;

/**
 * One line redrawn in place: `epoch 3/10 [=====>    ] 45% 12,345 samples/s loss 0.2345 ETA 3s`.
 * Redraws at most every 100 ms so printing never costs training time. Only for an interactive
 * terminal (see createTerminal), so it may use `\r` and escape codes freely.
 */
export class ProgressBar {
  private lastDraw = -Infinity;
  private visible = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly style: Styles,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(progress: BatchProgress): void {
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS && progress.samplesDone < progress.samplesTotal) return;
    this.lastDraw = t;
    this.terminal.stream.write(`\r${this.render(progress)}\u001b[K`);
    this.visible = true;
  }

  /** Removes the bar so the next line starts clean. */
  clear(): void {
    if (!this.visible) return;
    this.terminal.stream.write('\r\u001b[K');
    this.visible = false;
    this.lastDraw = -Infinity;
  }

  render(progress: BatchProgress): string {
    const { fraction, rate, eta } = progressStats(progress);
    const head = `epoch ${progress.epoch}/${progress.epochs} `;
    const tail =
      ` ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatRate(rate)} samples/s` +
      ` loss ${formatLoss(progress.loss)} ETA ${formatSeconds(eta)}`;
    const barWidth = Math.max(10, Math.min(40, this.terminal.width - head.length - tail.length - 3));
    const filled = Math.round(fraction * barWidth);
    const bar = '='.repeat(filled) + (filled < barWidth ? '>' : '') + ' '.repeat(Math.max(0, barWidth - filled - 1));
    return `${this.style.bold(head)}[${this.style.green(bar)}]${tail}`;
  }
}
