import { resolve } from 'node:path';
import { renderComparison, renderRunReport } from '@scratchnet/report';
import { writeFileAtomic } from '../run-dir/atomic.js';
import { comparedRun, comparisonNames } from './compared-run.js';
import { gatherRunReport, type GatherOptions } from './gather-report.js';
import { readRunFolder } from './run-folder.js';

export interface WrittenReport {
  /** Absolute path of the HTML file. */
  readonly file: string;
  readonly warnings: readonly string[];
}

/** Rebuilds a run's report from its folder into `out` (default RUN/report.html), atomically. */
export async function writeRunReport(runDir: string, options: GatherOptions & { readonly out?: string }): Promise<WrittenReport> {
  const folder = await readRunFolder(runDir, options.cwd);
  const { report, warnings } = await gatherRunReport(folder, options);
  const file = options.out === undefined ? folder.paths.report : resolve(options.cwd, options.out);
  writeFileAtomic(file, renderRunReport(report));
  return { file, warnings };
}

/** One page comparing runs: every folder is read (and checked) before anything is written. */
export async function writeComparison(runDirs: readonly string[], options: { readonly cwd: string; readonly out: string }): Promise<string> {
  const folders = [];
  for (const dir of runDirs) folders.push(await readRunFolder(dir, options.cwd));
  const names = comparisonNames(folders);
  const file = resolve(options.cwd, options.out);
  writeFileAtomic(file, renderComparison(folders.map((folder, i) => comparedRun(folder, names[i]!))));
  return file;
}
