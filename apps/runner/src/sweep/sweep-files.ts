import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSweepReport, type SweepReportData } from '@scratchnet/report';
import { dataError } from '../exit-codes.js';
import { writeFileAtomic } from '../run-dir/atomic.js';
import { packageVersions } from '../run-dir/versions.js';
import { trialsCsv, type SweepRecord } from './sweep-record.js';

export const SWEEP_FILES = {
  record: 'sweep.json',
  csv: 'trials.csv',
  report: 'report.html',
  /** A copy of the sweep file, which --resume reads (the original may have changed since). */
  spec: 'sweep.yaml',
} as const;

/** sweep.json and trials.csv, each written atomically: a reader never sees half of one. */
export function saveSweep(dir: string, record: SweepRecord, parameters: readonly string[]): void {
  writeFileAtomic(join(dir, SWEEP_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  writeFileAtomic(join(dir, SWEEP_FILES.csv), trialsCsv(record, parameters));
}

export function saveSweepReport(dir: string, record: SweepRecord, parameters: readonly string[]): string {
  const file = join(dir, SWEEP_FILES.report);
  writeFileAtomic(file, renderSweepReport(reportData(record, parameters)));
  return file;
}

function reportData(record: SweepRecord, parameters: readonly string[]): SweepReportData {
  return {
    name: record.name,
    createdAt: record.createdAt,
    method: record.method,
    base: record.baseFile,
    metric: record.metric,
    ...(record.earlyTermination === undefined ? {} : { earlyTermination: record.earlyTermination }),
    parameters,
    versions: packageVersions(),
    trials: record.trials.map((t) => ({
      id: t.id,
      index: t.index,
      status: t.status,
      parameters: t.parameters,
      curve: t.curve,
      epochs: t.epochs,
      ...(t.value === undefined ? {} : { value: t.value }),
      ...(t.prunedAt === undefined ? {} : { prunedAt: t.prunedAt }),
      ...(t.test === undefined ? {} : { test: t.test }),
      ...(t.seconds === undefined ? {} : { seconds: t.seconds }),
      ...(t.error === undefined ? {} : { error: t.error }),
      ...(t.status === 'pending' ? {} : { report: `${t.runDir}/report.html` }),
    })),
  };
}

/** A stopped sweep's record and sweep file, for --resume; a damaged record is exit 3, naming it. */
export async function readSweepDir(dir: string, shown: string): Promise<{ record: SweepRecord; specText: string }> {
  const recordFile = join(dir, SWEEP_FILES.record);
  let text: string;
  let specText: string;
  try {
    [text, specText] = await Promise.all([readFile(recordFile, 'utf8'), readFile(join(dir, SWEEP_FILES.spec), 'utf8')]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw dataError(`${shown} is not a sweep folder (${code === 'ENOENT' ? `no ${SWEEP_FILES.record} or ${SWEEP_FILES.spec}` : code}): give the folder runner sweep made, sweeps/<name>-<time>.`);
  }
  let record: SweepRecord;
  try {
    record = JSON.parse(text) as SweepRecord;
  } catch (error) {
    throw dataError(`${shown}/${SWEEP_FILES.record} is damaged (${(error as Error).message}); the trials' own folders are intact, but this sweep cannot be resumed.`);
  }
  if (record.format !== 'scratchnet-sweep' || record.formatVersion !== 1 || !Array.isArray(record.trials)) {
    throw dataError(`${shown}/${SWEEP_FILES.record} is not a scratchnet sweep record (format ${JSON.stringify(record.format)} version ${JSON.stringify(record.formatVersion)}; expected scratchnet-sweep 1).`);
  }
  return { record, specText };
}
