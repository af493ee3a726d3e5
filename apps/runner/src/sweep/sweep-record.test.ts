import { describe, expect, it } from 'vitest';
import type { EpochEvent, SummaryEvent } from '../output/events.js';
import { better, bestTrial, formatMetric, metricOf, newTrialRecord, recordEpoch, recordPruned, recordSummary, trialsCsv, type SweepRecord, type TrialRecord } from './sweep-record.js';
import type { SweepMetric } from './sweep-spec.js';

const trial = (index: number, parameters: Record<string, unknown> = {}): TrialRecord =>
  newTrialRecord({ id: `t${String(index + 1).padStart(3, '0')}`, index, parameters });

/** An epoch whose validation accuracy is `accuracy` (and train accuracy a little above it). */
const epoch = (n: number, accuracy: number, epochs = 5): EpochEvent => ({
  event: 'epoch',
  epoch: n,
  epochs,
  train: { loss: 1 - accuracy, accuracy: accuracy + 0.01 },
  validation: { loss: 2 - accuracy, accuracy },
  learningRate: 0.1,
  samplesPerSecond: 1,
  seconds: 1,
});

const summary = (fields: Partial<SummaryEvent> = {}): SummaryEvent => ({
  event: 'summary',
  runDir: 'trials/t001',
  epochs: 5,
  train: { loss: 0.1, accuracy: 0.9 },
  samplesPerSecond: 100,
  seconds: 12.345,
  ...fields,
});

const accuracy: SweepMetric = { name: 'validation.accuracy', goal: 'maximize' };

const sweepRecord = (trials: TrialRecord[], metric: SweepMetric = accuracy): SweepRecord => ({
  format: 'scratchnet-sweep',
  formatVersion: 1,
  name: 'lr-sweep',
  id: 'lr-sweep-20250101-000000',
  sweepFile: 'sweep.yaml',
  baseFile: 'experiment.yaml',
  createdAt: '2025-01-01T00:00:00.000Z',
  method: 'grid',
  metric,
  trials,
});

describe('newTrialRecord', () => {
  it('starts pending, with no curve, no attempts and its folder under trials/', () => {
    expect(trial(11, { lr: 0.1 })).toEqual({ id: 't012', index: 11, parameters: { lr: 0.1 }, status: 'pending', curve: [], epochs: 0, attempts: 0, runDir: 'trials/t012' });
  });
});

describe('metricOf', () => {
  const figures = { train: { loss: 0.25, accuracy: 0.75 }, validation: { loss: 0.5, accuracy: 0.6 } };

  it('picks the split and the figure the name says', () => {
    expect(metricOf('train.loss', figures)).toBe(0.25);
    expect(metricOf('train.accuracy', figures)).toBe(0.75);
    expect(metricOf('validation.loss', figures)).toBe(0.5);
    expect(metricOf('validation.accuracy', figures)).toBe(0.6);
  });

  it('is NaN when the split is missing', () => {
    expect(metricOf('validation.accuracy', { train: figures.train })).toBeNaN();
    expect(metricOf('validation.loss', { train: figures.train })).toBeNaN();
    expect(metricOf('train.loss', { train: figures.train })).toBe(0.25);
  });
});

describe('recordEpoch', () => {
  it('appends the metric, and tracks planned epochs, epochs run and the latest value', () => {
    const t = trial(0);
    recordEpoch(t, 'validation.accuracy', epoch(1, 0.5, 7));
    recordEpoch(t, 'validation.accuracy', epoch(2, 0.6, 7));
    expect(t).toMatchObject({ curve: [0.5, 0.6], plannedEpochs: 7, epochs: 2, value: 0.6 });
    recordEpoch(t, 'train.loss', epoch(3, 0.7, 7));
    expect(t.curve[2]).toBeCloseTo(0.3);
  });

  it('replaces epochs reported again (a resumed or restarted run), dropping the ones after them', () => {
    const t = trial(0);
    for (const [n, v] of [[1, 0.5], [2, 0.6], [3, 0.7], [4, 0.8]] as const) recordEpoch(t, 'validation.accuracy', epoch(n, v));
    recordEpoch(t, 'validation.accuracy', epoch(3, 0.65));
    expect(t).toMatchObject({ curve: [0.5, 0.6, 0.65], epochs: 3, value: 0.65 });
    // A run started again from scratch: epoch 1 again.
    recordEpoch(t, 'validation.accuracy', epoch(1, 0.1));
    expect(t).toMatchObject({ curve: [0.1], epochs: 1, value: 0.1 });
    recordEpoch(t, 'validation.accuracy', epoch(2, 0.2));
    expect(t.curve).toEqual([0.1, 0.2]);
  });

  it('records a missing validation split as NaN', () => {
    const t = trial(0);
    const { validation: _dropped, ...withoutValidation } = epoch(1, 0.5);
    recordEpoch(t, 'validation.accuracy', withoutValidation);
    expect(t.curve).toHaveLength(1);
    expect(t.curve[0]).toBeNaN();
    expect(t.value).toBeNaN();
  });

  it("does not extend a pruned trial's curve, but counts the epochs its run trained", () => {
    const t = trial(0);
    for (const [n, v] of [[1, 0.5], [2, 0.6], [3, 0.7]] as const) recordEpoch(t, 'validation.accuracy', epoch(n, v));
    recordPruned(t, 2);
    recordEpoch(t, 'validation.accuracy', epoch(4, 0.9));
    expect(t).toMatchObject({ status: 'pruned', prunedAt: 2, curve: [0.5, 0.6], value: 0.6, epochs: 4, plannedEpochs: 5 });
    // Nor does an epoch reported again change it, or take back the epochs trained.
    recordEpoch(t, 'validation.accuracy', epoch(1, 0.01));
    expect(t).toMatchObject({ curve: [0.5, 0.6], value: 0.6, epochs: 4 });
  });
});

describe('recordSummary', () => {
  const ran = (): TrialRecord => {
    const t = trial(0);
    for (const [n, v] of [[1, 0.5], [2, 0.9], [3, 0.7]] as const) recordEpoch(t, 'validation.accuracy', epoch(n, v, 3));
    return t;
  };

  it('keeps the seconds and test figures; the value stays the last epoch without restoreBest', () => {
    const t = ran();
    recordSummary(t, summary({ test: { loss: 0.3, accuracy: 0.88 } }));
    expect(t).toMatchObject({ seconds: 12.345, test: { loss: 0.3, accuracy: 0.88 }, value: 0.7 });
    const untested = ran();
    recordSummary(untested, summary());
    expect(untested).not.toHaveProperty('test');
  });

  it("takes bestEpoch's value (restoreBest)", () => {
    const t = ran();
    recordSummary(t, summary({ bestEpoch: 2 }));
    expect(t.value).toBe(0.9);
    expect(t.curve).toEqual([0.5, 0.9, 0.7]);
  });

  it("leaves a pruned trial's value at prunedAt", () => {
    const t = ran();
    recordPruned(t, 1);
    recordSummary(t, summary({ bestEpoch: 2 }));
    expect(t).toMatchObject({ value: 0.5, prunedAt: 1, seconds: 12.345 });
  });
});

describe('recordPruned', () => {
  it("cuts the curve at the epoch, takes that epoch's value and marks the trial pruned", () => {
    const t = trial(0);
    for (const [n, v] of [[1, 0.5], [2, 0.6], [3, 0.7], [4, 0.8]] as const) recordEpoch(t, 'validation.accuracy', epoch(n, v));
    t.status = 'running';
    recordPruned(t, 3);
    expect(t).toMatchObject({ status: 'pruned', prunedAt: 3, curve: [0.5, 0.6, 0.7], value: 0.7, epochs: 4 });
  });
});

describe('better', () => {
  it('compares in the goal direction, strictly', () => {
    expect(better('maximize', 0.9, 0.8)).toBe(true);
    expect(better('maximize', 0.8, 0.9)).toBe(false);
    expect(better('minimize', 0.8, 0.9)).toBe(true);
    expect(better('minimize', 0.9, 0.8)).toBe(false);
    expect(better('maximize', 0.8, 0.8)).toBe(false);
    expect(better('minimize', 0.8, 0.8)).toBe(false);
  });

  it('counts anything finite better than nothing or a diverged value, and NaN or infinity never better', () => {
    expect(better('maximize', 0.1, undefined)).toBe(true);
    expect(better('minimize', 1e9, NaN)).toBe(true);
    expect(better('maximize', -1e9, Infinity)).toBe(true);
    for (const goal of ['maximize', 'minimize'] as const) {
      expect(better(goal, NaN, undefined)).toBe(false);
      expect(better(goal, NaN, 0.5)).toBe(false);
      expect(better(goal, NaN, NaN)).toBe(false);
    }
    expect(better('maximize', Infinity, 0.5)).toBe(false);
    expect(better('minimize', -Infinity, 0.5)).toBe(false);
  });
});

describe('bestTrial', () => {
  const valued = (values: (number | undefined)[], metric: SweepMetric = accuracy) =>
    sweepRecord(
      values.map((value, i) => {
        const t = trial(i);
        if (value !== undefined) t.value = value;
        return t;
      }),
      metric,
    );

  it('is the best value in the goal direction, the lowest index on ties', () => {
    expect(bestTrial(valued([0.5, 0.9, 0.7, 0.9]))?.id).toBe('t002');
    expect(bestTrial(valued([0.5, 0.2, 0.7, 0.2], { name: 'validation.loss', goal: 'minimize' }))?.id).toBe('t002');
  });

  it('skips trials without a value and diverged ones, and is undefined when none has one', () => {
    expect(bestTrial(valued([undefined, NaN, 0.3, undefined]))?.id).toBe('t003');
    expect(bestTrial(valued([NaN, 0.3]))?.id).toBe('t002');
    expect(bestTrial(valued([undefined, undefined]))).toBeUndefined();
    expect(bestTrial(valued([NaN, NaN]))).toBeUndefined();
    expect(bestTrial(valued([]))).toBeUndefined();
  });
});

describe('formatMetric', () => {
  it('shows accuracies as percentages with two decimals and losses to 4 significant digits', () => {
    expect(formatMetric('validation.accuracy', 0.97123)).toBe('97.12%');
    expect(formatMetric('train.accuracy', 1)).toBe('100.00%');
    expect(formatMetric('validation.loss', 0.0123456)).toBe('0.01235');
    expect(formatMetric('train.loss', 2)).toBe('2.000');
  });

  it("shows '-' for no value and 'diverged' for one that is not finite", () => {
    expect(formatMetric('validation.accuracy', undefined)).toBe('-');
    expect(formatMetric('validation.accuracy', NaN)).toBe('diverged');
    expect(formatMetric('train.loss', Infinity)).toBe('diverged');
  });
});

describe('trialsCsv', () => {
  const parameters = ['schedule.learningRate', 'optimiser'];

  const record = (): SweepRecord => {
    const done = trial(0, { 'schedule.learningRate': 0.1, optimiser: 'sgd' });
    Object.assign(done, { status: 'completed', value: 0.9512, epochs: 5, test: { accuracy: 0.95, loss: 0.17 }, seconds: 12.345 });
    const pruned = trial(1, { 'schedule.learningRate': 0.01, optimiser: { type: 'adam', beta1: 0.9 } });
    Object.assign(pruned, { status: 'pruned', value: 0.5, epochs: 3, prunedAt: 1, seconds: 3 });
    const failed = trial(2, { 'schedule.learningRate': 0.001, optimiser: 'sgd' });
    Object.assign(failed, { status: 'failed', epochs: 0, error: 'bad "data", row 3\nsee log' });
    const pending = trial(3, { 'schedule.learningRate': 0.0001, optimiser: 'a,b' });
    return sweepRecord([done, pruned, failed, pending]);
  };

  it('has a header of the fixed columns around the parameters and the metric', () => {
    const [header] = trialsCsv(record(), parameters).split('\n');
    expect(header).toBe('id,status,schedule.learningRate,optimiser,validation.accuracy,epochs,pruned_at,test_accuracy,test_loss,seconds,error');
  });

  it('writes one row per trial: objects as JSON, empty fields for what a trial lacks, RFC 4180 quoting', () => {
    const csv = trialsCsv(record(), parameters);
    expect(csv.endsWith('\n')).toBe(true);
    expect(csv).toBe(
      [
        'id,status,schedule.learningRate,optimiser,validation.accuracy,epochs,pruned_at,test_accuracy,test_loss,seconds,error',
        't001,completed,0.1,sgd,0.9512,5,,0.95,0.17,12.35,',
        't002,pruned,0.01,"{""type"":""adam"",""beta1"":0.9}",0.5,3,1,,,3.00,',
        't003,failed,0.001,sgd,,0,,,,,"bad ""data"", row 3\nsee log"',
        't004,pending,0.0001,"a,b",,0,,,,,',
        '',
      ].join('\n'),
    );
  });

  it('reads back to the same fields with an RFC 4180 parser', () => {
    const rows = parseCsv(trialsCsv(record(), parameters));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toHaveLength(11);
    expect(rows[2]![3]).toBe('{"type":"adam","beta1":0.9}');
    expect(rows[3]![10]).toBe('bad "data", row 3\nsee log');
    expect(rows[4]![3]).toBe('a,b');
  });

  it('quotes a carriage return and a parameter name that needs it', () => {
    const t = trial(0, { 'a,b': 'x' });
    t.error = 'line\r\nnext';
    const [header, row] = parseCsv(trialsCsv(sweepRecord([t]), ['a,b']));
    expect(header).toEqual(['id', 'status', 'a,b', 'validation.accuracy', 'epochs', 'pruned_at', 'test_accuracy', 'test_loss', 'seconds', 'error']);
    expect(row![9]).toBe('line\r\nnext');
  });
});

/** A strict RFC 4180 reader (records end at \n; a quoted field may hold anything). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      if (c === '\r') throw new Error(`a bare carriage return at ${i}`);
      field += c;
    }
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('a last record without its newline');
  return rows;
}
