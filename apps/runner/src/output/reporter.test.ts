import { describe, expect, it } from 'vitest';
import type { BatchProgress, RunEvent } from './events.js';
import { ProgressBar } from './progress-bar.js';
import { HumanReporter, JsonReporter } from './reporter.js';
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
  it('uses colour only on a TTY without NO_COLOR', () => {
    expect(createTerminal(stream(true), {}).colour).toBe(true);
    expect(createTerminal(stream(true), { NO_COLOR: '1' }).colour).toBe(false);
    expect(createTerminal(stream(true), { NO_COLOR: '' }).colour).toBe(true);
    expect(createTerminal(stream(false), {})).toMatchObject({ colour: false, interactive: false });
  });
});

describe('ProgressBar', () => {
  it('shows the epoch, a bar, samples/s, the loss and the ETA', () => {
    const bar = new ProgressBar(createTerminal(stream(true), { NO_COLOR: '1' }), styles(false));
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

describe('ProgressBar with NO_COLOR', () => {
  it('writes no escape sequence at all, erasing with spaces instead', () => {
    const out = stream(true);
    let clock = 0;
    const bar = new ProgressBar(createTerminal(out, { NO_COLOR: '1' }), styles(false), () => clock);
    bar.update({ ...progress, loss: 123.4567 });
    clock = 200;
    bar.update({ ...progress, samplesDone: 1000 });
    bar.clear();
    expect(out.text).not.toContain('\u001b');
    const lines = out.text.split('\r').filter((line) => line !== '');
    // The second line is padded to the first one's length; clear() blanks the last one.
    expect(lines[1]!.length).toBeGreaterThanOrEqual(lines[0]!.length);
    expect(lines.at(-1)).toMatch(/^ +$/);
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
