import { describe, expect, it } from 'vitest';
import { flagHelp, parseArgs, wholeNumberFlag, type FlagSpecs } from './args.js';
import { RunnerError } from './exit-codes.js';

const specs = {
  set: { type: 'string', multiple: true, value: 'PATH=VALUE', description: 'override' },
  out: { type: 'string', value: 'DIR', description: 'run directory' },
  json: { type: 'boolean', description: 'NDJSON' },
  help: { type: 'boolean', short: 'h', description: 'help' },
} as const satisfies FlagSpecs;

function failure(argv: string[]): RunnerError {
  try {
    parseArgs(argv, specs, 'train');
  } catch (error) {
    if (error instanceof RunnerError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseArgs', () => {
  it('reads values in both spellings, repeatable flags, booleans and positionals in any order', () => {
    const { flags, positionals } = parseArgs(
      ['--set', 'a=1', 'x.yaml', '--out=runs/a', '--set=b.c[0]=2', '--json', '-h'],
      specs,
      'train',
    );
    expect(flags).toEqual({ set: ['a=1', 'b.c[0]=2'], out: 'runs/a', json: true, help: true });
    expect(positionals).toEqual(['x.yaml']);
  });

  it('fills defaults when flags are absent and passes everything after -- through', () => {
    const { flags, positionals } = parseArgs(['--', '--json', '-x'], specs, 'train');
    expect(flags).toEqual({ set: [], out: undefined, json: false, help: false });
    expect(positionals).toEqual(['--json', '-x']);
  });

  it('rejects an unknown flag with a did-you-mean and exit code 2', () => {
    const error = failure(['x.yaml', '--ovt', 'dir']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('unknown flag --ovt for "runner train". Did you mean --out? See runner train --help.');
    expect(failure(['--jsno']).message).toContain('Did you mean --json?');
    expect(failure(['--zzzzzzzz']).message).not.toContain('Did you mean');
  });

  it('rejects a missing value, a value on a boolean and a single flag given twice', () => {
    expect(failure(['--out']).message).toBe('--out needs a value: --out DIR.');
    expect(failure(['--out', '--json']).message).toBe('--out needs a value: --out DIR.');
    expect(failure(['--json=yes']).message).toContain('--json takes no value');
    expect(failure(['--out', 'a', '--out', 'b']).message).toBe('--out given twice; give it once.');
  });

  it('accepts a value that starts with a dash when it is not a flag', () => {
    expect(parseArgs(['--out', '-'], specs, 'train').flags.out).toBe('-');
  });

  it('lists flags with their value names for help', () => {
    const help = flagHelp(specs);
    expect(help).toContain('--set PATH=VALUE');
    expect(help).toContain('override (repeatable)');
    expect(help).toContain('-h, --help');
  });
});

describe('wholeNumberFlag', () => {
  it('takes whole numbers in range and names the flag otherwise', () => {
    expect(wholeNumberFlag('3', '--concurrency', 1, 256)).toBe(3);
    for (const bad of ['0', '257', '2.5', '', 'two', '1e2']) {
      expect(() => wholeNumberFlag(bad, '--concurrency', 1, 256)).toThrow(`--concurrency must be a whole number from 1 to 256 (found "${bad}").`);
    }
  });
});
