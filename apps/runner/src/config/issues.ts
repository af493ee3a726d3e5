import { formatPath, type ConfigIssue } from '@scratchnet/spec';
import { RunnerError, EXIT } from '../exit-codes.js';
import { overrideFor, type Override } from './overrides.js';
import { locate } from './positions.js';
import type { YamlSource } from './yaml-source.js';

/** A config issue with the place a user should look: `file:line:col` or the `--set` flag. */
export interface LocatedIssue extends ConfigIssue {
  readonly where: string;
}

export function locateIssues(
  issues: readonly ConfigIssue[],
  source: YamlSource,
  overrides: readonly Override[],
): LocatedIssue[] {
  const located = issues.map((issue, order) => {
    const override = overrideFor(overrides, issue.path);
    if (override) return { issue: { ...issue, where: override.label }, rank: [1, 0, 0, order] };
    const { line, col } = locate(source.doc, source.lineCounter, issue.path);
    return { issue: { ...issue, line, col, where: `${source.displayName}:${line}:${col}` }, rank: [0, line, col, order] };
  });
  located.sort((a, b) => compareRanks(a.rank, b.rank));
  return located.map(({ issue }) => issue);
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

export function formatIssue(issue: LocatedIssue): string {
  const plugin = issue.plugin ? ` (${issue.plugin})` : '';
  return `${issue.where} ${formatPath(issue.path)}${plugin}: ${issue.message}`;
}

/** Every problem found in a config, reported together (exit code 2). */
export class ConfigIssuesError extends RunnerError {
  constructor(readonly issues: readonly LocatedIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(EXIT.usage, `${issues.map(formatIssue).join('\n')}\n(${count} in the config; nothing was run)`);
    this.name = 'ConfigIssuesError';
  }
}
