import type { BatchProgress, EpochEvent, Reporter, RunEvent, SummaryEvent } from './events.js';
import { formatLearningRate, formatLoss, formatPercent, formatRate, formatSeconds, renderTable } from './format.js';
import { ProgressBar } from './progress-bar.js';
import { ProgressLog } from './progress-log.js';
import { styles, type Styles, type Terminal, type TextStream } from './terminal.js';

export interface HumanReporterOptions {
  /** Plain progress lines where no bar is drawn (default true). */
  readonly plainProgress?: boolean;
  /** Milliseconds clock for the bar's and the lines' pacing; tests pass their own. */
  readonly now?: () => number;
}

/**
 * Human output: a progress bar on an interactive terminal, plain progress lines every
 * `progressSeconds` elsewhere, one line per epoch, a summary table at the end.
 */
export class HumanReporter implements Reporter {
  private readonly style: Styles;
  private readonly bar: ProgressBar;
  private readonly log: ProgressLog;
  private progressChecked = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly errors: Terminal,
    options: HumanReporterOptions = {},
  ) {
    this.style = styles(terminal.colour);
    const now = options.now ?? (() => performance.now());
    this.bar = new ProgressBar(terminal, this.style, now);
    this.log = new ProgressLog(terminal.stream, options.plainProgress === false ? 0 : terminal.progressSeconds * 1000, now);
  }

  emit(event: RunEvent): void {
    this.bar.clear();
    this.log.restart();
    const text = describeEvent(event, this.style);
    if (text === undefined) return;
    if (event.event === 'error' || event.event === 'warning') this.errors.stream.write(`${text}\n`);
    else this.terminal.stream.write(`${text}\n`);
  }

  progress(progress: BatchProgress): void {
    const warning = this.takeProgressWarning();
    if (warning !== undefined) this.emit(warning);
    if (this.terminal.interactive) this.bar.update(progress);
    else this.log.update(progress);
  }

  /**
   * The warning about a bad SCRATCHNET_PROGRESS_SECONDS, the first time progress is reported
   * (only then does the setting matter), and never again.
   */
  takeProgressWarning(): RunEvent | undefined {
    if (this.progressChecked) return undefined;
    this.progressChecked = true;
    const problem = this.terminal.progressProblem;
    return problem === undefined ? undefined : { event: 'warning', message: problem };
  }

  note(text: string): void {
    this.bar.clear();
    this.log.restart();
    this.terminal.stream.write(`${text}\n`);
  }

  result(text: string): void {
    this.terminal.stream.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** --json: stdout carries NDJSON events only; anything meant for people goes to stderr. */
export class JsonReporter implements Reporter {
  private readonly human: HumanReporter;

  constructor(
    private readonly stdout: TextStream,
    stderr: Terminal,
    options: Omit<HumanReporterOptions, 'plainProgress'> = {},
  ) {
    // A stderr that is not a terminal belongs to a program reading the NDJSON: it gets errors and
    // warnings, not progress lines. A person at a NO_COLOR terminal still sees progress there.
    this.human = new HumanReporter(stderr, stderr, { ...options, plainProgress: stderr.stream.isTTY === true });
  }

  emit(event: RunEvent): void {
    this.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.event === 'error' || event.event === 'warning') this.human.emit(event);
  }

  progress(progress: BatchProgress): void {
    // Emitted here, so the warning is an NDJSON event like every other one.
    const warning = this.human.takeProgressWarning();
    if (warning !== undefined) this.emit(warning);
    this.human.progress(progress);
  }

  note(text: string): void {
    this.human.note(text);
  }

  result(_text: string, json: unknown): void {
    this.stdout.write(`${JSON.stringify(json)}\n`);
  }
}

export function describeEvent(event: RunEvent, style: Styles): string | undefined {
  switch (event.event) {
    case 'start':
      return (
        `${style.bold(event.name)}: ${event.samples.train} training, ${event.samples.validation} validation and ` +
        `${event.samples.test} test samples, ${event.parameters.toLocaleString('en-US')} parameters, ` +
        `${event.backend} backend${event.threads > 1 ? ` on ${event.threads} threads${event.parallelism === 'data' ? ' (data-parallel)' : ''}` : ''}\nrun directory ${event.runDir}` +
        (event.firstEpoch > event.epochs
          ? '\nresuming after the last epoch: writing the model and the summary'
          : event.firstEpoch > 1
            ? `\nresuming at epoch ${event.firstEpoch}/${event.epochs}`
            : '')
      );
    case 'epoch':
      return epochLine(event, style);
    case 'checkpoint':
      return undefined;
    case 'summary':
      return summaryTable(event, style);
    case 'warning':
      return `${style.yellow('warning')}: ${event.message}`;
    case 'error':
      // Config issues start with file:line:col, so editors can jump to them; no prefix there.
      // A requested stop (Ctrl-C, exit 130) is not a failure.
      return (
        (event.issues ? event.message : event.exitCode === 130 ? `${style.yellow('stopped')}: ${event.message}` : `${style.red('error')}: ${event.message}`) +
        (event.resume ? `\nresume with: ${event.resume}` : '')
      );
  }
}

function epochLine(event: EpochEvent, style: Styles): string {
  const width = String(event.epochs).length;
  const parts = [
    style.bold(`epoch ${String(event.epoch).padStart(width)}/${event.epochs}`),
    `loss ${formatLoss(event.train.loss)}`,
    `acc ${formatPercent(event.train.accuracy)}`,
  ];
  if (event.validation) {
    parts.push(`val loss ${formatLoss(event.validation.loss)}`, `val acc ${formatPercent(event.validation.accuracy)}`);
  }
  parts.push(
    `lr ${formatLearningRate(event.learningRate)}`,
    `${formatRate(event.samplesPerSecond)} samples/s`,
    formatSeconds(event.seconds),
  );
  return parts.join('  ');
}

function summaryTable(event: SummaryEvent, style: Styles): string {
  const rows: string[][] = [['', 'loss', 'accuracy']];
  rows.push(['train', formatLoss(event.train.loss), formatPercent(event.train.accuracy)]);
  if (event.validation) rows.push(['validation', formatLoss(event.validation.loss), formatPercent(event.validation.accuracy)]);
  if (event.test) rows.push(['test', formatLoss(event.test.loss), formatPercent(event.test.accuracy)]);
  return (
    `\n${style.bold('summary')} after ${event.epochs} epochs${summaryNote(event)}\n${renderTable(rows)}\n` +
    `${formatRate(event.samplesPerSecond)} samples/s, ${formatSeconds(event.seconds)}; model in ${event.runDir}/model` +
    (event.report === undefined ? '' : `\nreport: ${event.report} (open it in a browser)`)
  );
}

/** How the run ended, when not simply after its last epoch: early stopping, best weights restored. */
function summaryNote(event: SummaryEvent): string {
  const notes = [
    ...(event.stoppedEarly ? ['stopped early: no validation improvement'] : []),
    ...(event.bestEpoch === undefined ? [] : [`model and test figures from epoch ${event.bestEpoch}, the best on validation`]),
  ];
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`;
}
