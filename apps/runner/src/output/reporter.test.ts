import { describe, expect, it } from 'vitest';
import type { BatchProgress, RunEvent } from './events.js';
import { ProgressBar } from './progress-bar.js';
import { describeEvent, HumanReporter, JsonReporter } from './reporter.js';
import { createTerminal, styles, type TextStream } from './terminal.js';

function stream(isTTY = false): TextStream & { text: string } {
  return {
    text: '',
    isTTY,
    columns: 100,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

const progress: BatchProgress = { epoch: 2, epochs: 10, samplesDone: 500, samplesTotal: 1000, loss: 0.25, elapsed: 2 };
const summary: RunEvent = {
  event: 'summary',
  runDir: 'runs/x',
  epochs: 10,
  train: { loss: 0.1, accuracy: 0.99 },
  test: { loss: 0.2, accuracy: 0.975 },
  samplesPerSecond: 12345.6,
  seconds: 75,
};

describe('createTerminal', () => {
  it('uses colour and redraws only on a TTY without NO_COLOR or TERM=dumb', () => {
    expect(createTerminal(stream(true), {})).toMatchObject({ colour: true, interactive: true });
    expect(createTerminal(stream(true), { NO_COLOR: '1' })).toMatchObject({ colour: false, interactive: false });
    expect(createTerminal(stream(true), { NO_COLOR: '' })).toMatchObject({ colour: true, interactive: true });
    expect(createTerminal(stream(true), { TERM: 'dumb' })).toMatchObject({ colour: false, interactive: false });
    expect(createTerminal(stream(false), {})).toMatchObject({ colour: false, interactive: false });
  });

  it('reads the seconds between plain progress lines from SCRATCHNET_PROGRESS_SECONDS', () => {
    expect(createTerminal(stream(), {}).progressSeconds).toBe(10);
    expect(createTerminal(stream(), { SCRATCHNET_PROGRESS_SECONDS: '2.5' }).progressSeconds).toBe(2.5);
    expect(createTerminal(stream(), { SCRATCHNET_PROGRESS_SECONDS: '0' }).progressSeconds).toBe(0);
    const bad = createTerminal(stream(), { SCRATCHNET_PROGRESS_SECONDS: 'often' });
    expect(bad.progressSeconds).toBe(10);
    expect(bad.progressProblem).toBe(
      'SCRATCHNET_PROGRESS_SECONDS is "often", expected a number of seconds >= 0 between progress lines; using 10. Set it to e.g. 30, or to 0 for no progress lines.',
    );
  });
});

describe('ProgressBar', () => {
  it('shows the epoch, a bar, samples/s, the loss and the ETA', () => {
    const bar = new ProgressBar(createTerminal(stream(true), {}), styles(false));
    expect(bar.render(progress)).toMatch(/^epoch 2\/10 \[=+> +\] {2}50% 250 samples\/s loss 0\.2500 ETA 2\.0s$/);
  });

  it('redraws in place at most every 100 ms, but always at the end of the epoch', () => {
    const out = stream(true);
    let clock = 0;
    const bar = new ProgressBar(createTerminal(out, {}), styles(false), () => clock);
    bar.update(progress);
    clock = 50;
    bar.update({ ...progress, samplesDone: 600 });
    expect(out.text.split('\r').length - 1).toBe(1);
    bar.update({ ...progress, samplesDone: 1000 });
    expect(out.text.split('\r').length - 1).toBe(2);
    bar.clear();
    expect(out.text.endsWith('\r\u001b[K')).toBe(true);
  });
});

/** A reporter on `out` with a hand-driven clock (ms), fed one progress report per call of `at`. */
function clocked(out: TextStream, env: NodeJS.ProcessEnv, err: TextStream = stream()) {
  let clock = 0;
  const reporter = new HumanReporter(createTerminal(out, env), createTerminal(err, env), { now: () => clock });
  const at = (ms: number, done: number): void => {
    clock = ms;
    reporter.progress({ ...progress, samplesDone: done, elapsed: ms / 1000 });
  };
  return { reporter, at };
}

describe('progress without a redrawn bar (NO_COLOR, TERM=dumb, not a TTY)', () => {
  it.each([
    ['NO_COLOR on a TTY', true, { NO_COLOR: '1' }],
    ['TERM=dumb', true, { TERM: 'dumb' }],
    ['not a TTY', false, {}],
  ] as const)('%s: a plain line every 10 s, no ESC and no \\r', (_name, tty, env) => {
    const out = stream(tty);
    const { at } = clocked(out, env);
    at(0, 10);
    at(9_999, 100);
    expect(out.text).toBe('');
    at(10_000, 450);
    at(15_000, 600);
    at(20_000, 800);
    expect(out.text).toBe('epoch  2/10   45%  loss 0.2500  45 samples/s  ETA 12s\nepoch  2/10   80%  loss 0.2500  40 samples/s  ETA 5.0s\n');
    expect(out.text).not.toContain('\u001b');
    expect(out.text).not.toContain('\r');
  });

  it('prints nothing at the end of an epoch, and counts the interval again from each epoch line', () => {
    const out = stream(false);
    const { reporter, at } = clocked(out, {});
    at(0, 10);
    at(30_000, 1000);
    expect(out.text).toBe('');
    reporter.emit({ event: 'epoch', epoch: 2, epochs: 10, train: { loss: 0.25, accuracy: 0.9 }, learningRate: 0.1, samplesPerSecond: 33, seconds: 30 });
    const afterEpochLine = out.text.length;
    at(35_000, 100);
    expect(out.text.length).toBe(afterEpochLine);
    at(40_000, 200);
    expect(out.text.slice(afterEpochLine)).toBe('epoch  2/10   20%  loss 0.2500  5 samples/s  ETA 2m40s\n');
  });

  it('follows SCRATCHNET_PROGRESS_SECONDS, and 0 turns the lines off', () => {
    const fast = stream(false);
    const quick = clocked(fast, { SCRATCHNET_PROGRESS_SECONDS: '0.5' });
    for (const ms of [0, 500, 1000, 1500]) quick.at(ms, 100 + ms / 10);
    expect(fast.text.split('\n').filter((line) => line !== '')).toHaveLength(3);
    const none = stream(false);
    const off = clocked(none, { SCRATCHNET_PROGRESS_SECONDS: '0' });
    for (const ms of [0, 60_000, 120_000]) off.at(ms, 500);
    expect(none.text).toBe('');
  });

  it('warns once, on stderr, about a SCRATCHNET_PROGRESS_SECONDS it cannot use', () => {
    const out = stream(false);
    const err = stream(false);
    const { at } = clocked(out, { SCRATCHNET_PROGRESS_SECONDS: '-1' }, err);
    at(0, 10);
    at(10_000, 500);
    expect(err.text).toBe(
      'warning: SCRATCHNET_PROGRESS_SECONDS is "-1", expected a number of seconds >= 0 between progress lines; using 10. Set it to e.g. 30, or to 0 for no progress lines.\n',
    );
    expect(out.text).toMatch(/^epoch {2}2\/10 {3}50%/);
  });

  it('an interactive terminal gets the bar instead, never the plain lines', () => {
    const out = stream(true);
    const { at } = clocked(out, {});
    at(0, 10);
    at(10_000, 450);
    expect(out.text).toContain('\r');
    expect(out.text).not.toContain('\n');
  });
});

describe('reporters', () => {
  it('human: no progress bar off a TTY; a summary table', () => {
    const out = stream(false);
    const reporter = new HumanReporter(createTerminal(out, {}), createTerminal(stream(), {}));
    reporter.progress(progress);
    reporter.emit(summary);
    expect(out.text).toBe('\nsummary after 10 epochs\n         loss  accuracy\ntrain  0.1000    99.00%\ntest   0.2000    97.50%\n12,346 samples/s, 1m15s; model in runs/x/model\n');
  });

  it('human: the summary says where the report is, when one was written', () => {
    const out = stream(false);
    new HumanReporter(createTerminal(out, {}), createTerminal(stream(), {})).emit({ ...summary, report: 'runs/x/report.html' });
    expect(out.text).toMatch(/; model in runs\/x\/model\nreport: runs\/x\/report\.html \(open it in a browser\)\n$/);
  });

  it('json: progress never reaches stdout; plain lines go to a stderr TTY only', () => {
    for (const [tty, expected] of [
      [false, ''],
      [true, 'epoch  2/10   45%  loss 0.2500  45 samples/s  ETA 12s\n'],
    ] as const) {
      const out = stream(false);
      const err = stream(tty);
      let clock = 0;
      const reporter = new JsonReporter(out, createTerminal(err, { NO_COLOR: '1' }), { now: () => clock });
      for (const [ms, done] of [[0, 10], [10_000, 450]] as const) {
        clock = ms;
        reporter.progress({ ...progress, samplesDone: done, elapsed: ms / 1000 });
      }
      expect([out.text, err.text]).toEqual(['', expected]);
    }
  });

  it('json: a bad SCRATCHNET_PROGRESS_SECONDS is a warning event on stdout and a line on stderr', () => {
    const out = stream(false);
    const err = stream(false);
    const reporter = new JsonReporter(out, createTerminal(err, { SCRATCHNET_PROGRESS_SECONDS: 'x' }));
    reporter.progress(progress);
    reporter.progress(progress);
    expect(JSON.parse(out.text)).toMatchObject({ event: 'warning', message: expect.stringMatching(/^SCRATCHNET_PROGRESS_SECONDS is "x"/) });
    expect(err.text).toMatch(/^warning: SCRATCHNET_PROGRESS_SECONDS is "x".*\n$/);
  });

  it('json: one JSON object per line on stdout, people-facing text on stderr only', () => {
    const out = stream(false);
    const err = stream(false);
    const reporter = new JsonReporter(out, createTerminal(err, {}));
    reporter.note('hello');
    reporter.emit(summary);
    reporter.emit({ event: 'error', exitCode: 2, message: 'bad' });
    const lines = out.text.trim().split('\n').map((line) => JSON.parse(line) as { event: string });
    expect(lines.map((l) => l.event)).toEqual(['summary', 'error']);
    expect(err.text).toBe('hello\nerror: bad\n');
  });

  it('warnings go to stderr (human) and are also an NDJSON event under --json', () => {
    const out = stream(false);
    const err = stream(false);
    new HumanReporter(createTerminal(out, {}), createTerminal(err, {})).emit({ event: 'warning', message: 'careful' });
    expect([out.text, err.text]).toEqual(['', 'warning: careful\n']);
    const jsonOut = stream(false);
    const jsonErr = stream(false);
    new JsonReporter(jsonOut, createTerminal(jsonErr, {})).emit({ event: 'warning', message: 'careful' });
    expect(JSON.parse(jsonOut.text)).toEqual({ event: 'warning', message: 'careful' });
    expect(jsonErr.text).toBe('warning: careful\n');
  });
});

describe('the start line of a resumed run', () => {
  const start = (firstEpoch: number) =>
    describeEvent(
      {
        event: 'start',
        runDir: 'run',
        name: 'tiny',
        epochs: 6,
        firstEpoch,
        samples: { train: 10, validation: 0, test: 5 },
        parameters: 100,
        backend: 'js',
        threads: 1,
      },
      styles(false),
    );

  it('says where it resumes, or that only the model and summary are left to write', () => {
    expect(start(1)).not.toContain('resuming');
    expect(start(3)).toContain('\nresuming at epoch 3/6');
    expect(start(7)).toContain('\nresuming after the last epoch: writing the model and the summary');
  });
});
