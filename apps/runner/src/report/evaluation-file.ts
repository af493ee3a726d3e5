import { readFile } from 'node:fs/promises';
import { dataError } from '../exit-codes.js';
import { writeFileAtomic } from '../run-dir/atomic.js';
import type { SampleOutcome } from './choose-samples.js';
import type { TestEvaluation } from './evaluate-test-set.js';

/**
 * evaluation.json: the test-set figures and the samples a report shows, so `runner report` can
 * rebuild the report without the model running again. Samples are named by index in the test
 * set as the config selects it (after skip/take); the report reloads their pixels from there.
 */
export interface EvaluationFile extends TestEvaluation {
  readonly format: 'scratchnet-evaluation';
  readonly formatVersion: 1;
  readonly split: 'test';
  /** The data set as its plugin named it. */
  readonly source: string;
}

export function writeEvaluation(file: string, evaluation: TestEvaluation, source: string): void {
  const content: EvaluationFile = { format: 'scratchnet-evaluation', formatVersion: 1, split: 'test', source, ...evaluation };
  writeFileAtomic(file, `${JSON.stringify(content)}\n`);
}

/** evaluation.json, or undefined when the run never wrote one (no test set, not finished, or older). */
export async function readEvaluation(file: string, shown: string): Promise<EvaluationFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw dataError(`cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw damaged(shown, `it is not valid JSON (${(error as Error).message})`);
  }
  return checkEvaluation(parsed, shown);
}

const FIX = 'Delete it to report the run without its test results (runner eval RUN/model --data ... still measures the model).';
const damaged = (shown: string, problem: string) => dataError(`${shown} is damaged: ${problem}. ${FIX}`);

function checkEvaluation(value: unknown, shown: string): EvaluationFile {
  const fail = (problem: string): never => {
    throw damaged(shown, problem);
  };
  if (!isRecord(value) || value['format'] !== 'scratchnet-evaluation') return fail('expected an object with "format": "scratchnet-evaluation"');
  if (value['formatVersion'] !== 1) return fail(`formatVersion ${JSON.stringify(value['formatVersion'])} is not one this runner reads (1)`);
  const count = value['count'];
  if (!isCount(count)) return fail(`"count" must be a whole number >= 0 (found ${JSON.stringify(count)})`);
  const classNames = value['classNames'];
  if (!Array.isArray(classNames) || classNames.length === 0 || !classNames.every((n) => typeof n === 'string')) {
    return fail('"classNames" must be a list of class names');
  }
  const classes = classNames.length;
  const confusion = value['confusion'];
  if (!Array.isArray(confusion) || confusion.length !== classes || !confusion.every((row) => Array.isArray(row) && row.length === classes && row.every(isCount))) {
    return fail(`"confusion" must be ${classes} rows of ${classes} counts, one per class`);
  }
  const samples = (key: 'misclassified' | 'confidentCorrect'): SampleOutcome[] => {
    const list = value[key];
    if (!Array.isArray(list)) return fail(`"${key}" must be a list of samples`);
    return list.map((item: unknown, i) => {
      const ok =
        isRecord(item) &&
        isCount(item['index']) && (item['index'] as number) < count &&
        isCount(item['label']) && (item['label'] as number) < classes &&
        isCount(item['predicted']) && (item['predicted'] as number) < classes &&
        (typeof item['confidence'] === 'number' || item['confidence'] === null);
      if (!ok) return fail(`${key}[${i}] must be { index < ${count}, label and predicted < ${classes}, confidence }`);
      const sample = item as Record<string, number | null>;
      return { index: sample['index']!, label: sample['label']!, predicted: sample['predicted']!, confidence: sample['confidence'] ?? Number.NaN };
    });
  };
  return {
    format: 'scratchnet-evaluation',
    formatVersion: 1,
    split: 'test',
    source: typeof value['source'] === 'string' ? value['source'] : '',
    // JSON has no NaN: a loss or accuracy that was NaN (an empty test set) is written as null.
    loss: finiteOrNaN(value['loss']),
    accuracy: finiteOrNaN(value['accuracy']),
    count,
    classNames: classNames as string[],
    confusion: confusion as number[][],
    misclassified: samples('misclassified'),
    confidentCorrect: samples('confidentCorrect'),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

const finiteOrNaN = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
