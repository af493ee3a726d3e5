import { describe, expect, it } from 'vitest';
import { ConfigIssuesError, formatIssue, locateIssues } from './issues.js';
import { parseOverride } from './overrides.js';
import { parseYamlSource } from './yaml-source.js';

const source = parseYamlSource('name: a\ntraining:\n  epochs: 0\nmodel:\n  layers:\n    - { type: dense, units: 0 }\n', 'configs/x.yaml');

describe('locateIssues', () => {
  it('sorts file issues by position, then --set issues, and formats them like a compiler', () => {
    const issues = locateIssues(
      [
        { path: ['batch'], message: 'from the flag' },
        { path: ['model', 'layers', 0, 'units'], plugin: 'dense', message: 'units must be an integer >= 1' },
        { path: ['training', 'epochs'], message: 'epochs must be an integer >= 1' },
      ],
      source,
      [parseOverride('batch=3')],
    );
    expect(issues.map(formatIssue)).toEqual([
      'configs/x.yaml:3:3 training.epochs: epochs must be an integer >= 1',
      'configs/x.yaml:6:22 model.layers[0].units (dense): units must be an integer >= 1',
      '--set batch=3 batch: from the flag',
    ]);
  });

  it('counts the problems in the error message', () => {
    const error = new ConfigIssuesError(locateIssues([{ path: ['name'], message: 'bad' }], source, []));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('configs/x.yaml:1:1 name: bad\n(1 problem in the config; nothing was run)');
  });
});
