import type { BatchProgress } from './events.js';
import { formatLoss, formatRate, formatSeconds } from './format.js';
import type { Styles, Terminal } from './terminal.js';

const REDRAW_MS = 100;

/**
 * One line redrawn in place: `epoch 3/10 [=====>    ] 45% 12,345 samples/s loss 0.2345 ETA 3s`.
 * Redraws at most every 100 ms so printing never costs training time.
 */
export class ProgressBar {
  private lastDraw = -Infinity;
  private visible = false;
  /** Characters of the line drawn last, overwritten with spaces where escape codes are off. */
  private drawn = 0;

  constructor(
    private readonly terminal: Terminal,
    private readonly style: Styles,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(progress: BatchProgress): void {
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS && progress.samplesDone < progress.samplesTotal) return;
    this.lastDraw = t;
    const line = this.render(progress);
    // NO_COLOR users get no escape sequences at all: spaces erase what the last line left.
    this.terminal.stream.write(this.terminal.colour ? `\r${line}\u001b[K` : `\r${line.padEnd(this.drawn)}`);
    this.drawn = line.length;
    this.visible = true;
  }

  /** Removes the bar so the next line starts clean. */
  clear(): void {
    if (!this.visible) return;
    this.terminal.stream.write(this.terminal.colour ? '\r\u001b[K' : `\r${' '.repeat(this.drawn)}\r`);
    this.visible = false;
    this.drawn = 0;
    this.lastDraw = -Infinity;
  }

  render(progress: BatchProgress): string {
    const fraction = progress.samplesTotal > 0 ? progress.samplesDone / progress.samplesTotal : 0;
    const rate = progress.elapsed > 0 ? progress.samplesDone / progress.elapsed : 0;
    const eta = rate > 0 ? (progress.samplesTotal - progress.samplesDone) / rate : Number.NaN;
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
