import { usageError } from './exit-codes.js';
import { suggest } from './suggest.js';

/**
 * A tiny flag parser: `--name value`, `--name=value`, boolean `--name`, `-h`, repeatable flags and
 * `--` to end flags. Unknown flags are usage errors with a did-you-mean, which node:util's
 * parseArgs cannot give.
 */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder shown in help, e.g. `DIR`. */
  readonly value?: string;
  readonly description: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<F extends FlagSpec> = F['type'] extends 'boolean'
  ? boolean
  : F['multiple'] extends true
    ? string[]
    : string | undefined;

export type ParsedFlags<S extends FlagSpecs> = { -readonly [K in keyof S]: FlagValue<S[K]> };

export interface ParsedArgs<S extends FlagSpecs> {
  readonly flags: ParsedFlags<S>;
  readonly positionals: string[];
}

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S, command: string): ParsedArgs<S> {
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    flags[name] = spec.type === 'boolean' ? false : spec.multiple ? [] : undefined;
  }
  const byShort = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name]] : [])));
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const raw = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const name = raw.startsWith('--') ? raw.slice(2) : byShort.get(raw.slice(1));
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined) throw unknownFlag(raw, specs, command, inline, argv[i + 1]);

    if (spec.type === 'boolean') {
      if (inline !== undefined) throw usageError(`${raw} takes no value (got "${arg}"). Write just ${raw}.`);
      flags[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw usageError(`${raw} needs a value: ${raw} ${spec.value ?? 'VALUE'}.`);
      }
      value = next;
      i++;
    }
    if (spec.multiple) (flags[name] as string[]).push(value);
    else if (flags[name] !== undefined) throw usageError(`${raw} given twice; give it once.`);
    else flags[name] = value;
  }
  return { flags: flags as ParsedFlags<S>, positionals };
}

/**
 * Config settings people reach for as flags (as in other tools' CLIs), normalised to lower case
 * without dashes: the unknown flag is answered with the `--set` that does it.
 */
const CONFIG_FLAGS: Readonly<Record<string, string>> = {
  epochs: 'training.epochs',
  batchsize: 'training.batchSize',
  lr: 'schedule.learningRate',
  learningrate: 'schedule.learningRate',
};

function unknownFlag(raw: string, specs: FlagSpecs, command: string, inline: string | undefined, next: string | undefined) {
  const known = Object.keys(specs).map((name) => `--${name}`);
  const path = CONFIG_FLAGS[raw.replace(/^-+/, '').replaceAll('-', '').toLowerCase()];
  if (path !== undefined && 'set' in specs) {
    const value = inline ?? (next !== undefined && !next.startsWith('-') ? next : 'VALUE');
    return usageError(`unknown flag ${raw} for "runner ${command}": config settings are changed with --set, here --set ${path}=${value}.`);
  }
  const guess = suggest(raw, known);
  const hint = guess ? ` Did you mean ${guess}?` : '';
  return usageError(`unknown flag ${raw} for "runner ${command}".${hint} See runner ${command} --help.`);
}

/** Help text lines for a command's flags, aligned. */
export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    return [`  ${short}--${name}${value}`, spec.description + (spec.multiple ? ' (repeatable)' : '')] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right).join('\n');
}

/** A whole-number flag value in [min, max]; anything else is a usage error naming the flag. */
export function wholeNumberFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isInteger(value) || value < min || value > max) {
    throw usageError(`${flag} must be a whole number from ${min} to ${max} (found "${text}").`);
  }
  return value;
}
