import { isSeq, parse, type Document } from 'yaml';
import { formatPath, type ConfigPath } from '@scratchnet/spec';
import { usageError } from '../exit-codes.js';

/** One `--set path=value`; the value is YAML, so `3`, `true`, `[784]` and `{type: adam}` all work. */
export interface Override {
  /** How the user wrote it, for messages: `--set training.epochs=5` or `--seed 7`. */
  readonly label: string;
  readonly text: string;
  readonly path: ConfigPath;
  readonly value: unknown;
}

const SEGMENT = /^(?:([A-Za-z_][\w-]*)|(\d+))((?:\[\d+\])*)$/;

export const CONFIG_PATH_HELP = 'write keys separated by dots and list items as [n], e.g. model.layers[2].units';

/** `model.layers[0].units` as ['model', 'layers', 0, 'units']; undefined when it is not a path. */
export function parseConfigPath(text: string): ConfigPath | undefined {
  const path: (string | number)[] = [];
  for (const part of text.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) return undefined;
    if (match[1] !== undefined) path.push(match[1]);
    else path.push(Number(match[2]));
    for (const index of match[3]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw usageError(`--set "${text}": expected path=value, e.g. --set training.epochs=5 or --set model.layers[0].units=64.`);
  }
  const pathText = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1);
  const path = parseConfigPath(pathText);
  if (path === undefined) {
    throw usageError(`--set "${text}": "${pathText}" is not a config path; ${CONFIG_PATH_HELP}.`);
  }
  if (valueText.trim() === '') {
    throw usageError(`--set "${text}": no value after "="; write e.g. --set ${pathText}=VALUE.`);
  }
  let value: unknown;
  try {
    value = parse(valueText);
  } catch (error) {
    throw usageError(`--set "${text}": the value is not valid YAML (${(error as Error).message.split('\n')[0]}).`);
  }
  return { label: `--set ${text}`, text, path, value };
}

/** Writes the overrides into the parsed document so validation sees them like file content. */
export function applyOverrides(doc: Document, overrides: readonly Override[]): void {
  for (const override of overrides) {
    checkIndices(doc, override);
    try {
      doc.setIn(override.path, doc.createNode(override.value));
    } catch {
      throw usageError(
        `--set "${override.text}": cannot set ${formatPath(override.path)} because a part of that path is not a map or list in the config (a shorthand like "relu" must be written as { type: relu } before setting its options).`,
      );
    }
  }
}

function checkIndices(doc: Document, override: Override): void {
  for (let i = 0; i < override.path.length; i++) {
    const segment = override.path[i]!;
    if (typeof segment !== 'number') continue;
    const parent = doc.getIn(override.path.slice(0, i), true);
    if (isSeq(parent) && segment > parent.items.length) {
      throw usageError(
        `--set "${override.text}": ${formatPath(override.path.slice(0, i))} has ${parent.items.length} items, so index ${segment} is out of range (the next free index is ${parent.items.length}).`,
      );
    }
  }
}

/** A flag that is shorthand for one `--set`: `--seed N` for `--set seed=N`, `--threads N`, `--backend KIND`. */
export function shorthandOverride(flag: string, path: ConfigPath, text: string): Override {
  let value: unknown = text;
  if (/^-?\d+$/.test(text.trim())) value = Number(text);
  return { label: `--${flag} ${text}`, text: `${path.join('.')}=${text}`, path, value };
}

export const seedOverride = (seed: string): Override => shorthandOverride('seed', ['seed'], seed);

/** The override that set `path` or one of its ancestors, if any (its issues point at the flag). */
export function overrideFor(overrides: readonly Override[], path: ConfigPath): Override | undefined {
  let found: Override | undefined;
  for (const override of overrides) {
    if (override.path.length <= path.length && override.path.every((segment, i) => String(segment) === String(path[i]))) {
      found = override;
    }
  }
  return found;
}

/** The overrides a command's flags ask for, in order: the shorthands (--seed, --backend, --threads), then each --set. */
export function overridesFromFlags(flags: {
  readonly set: readonly string[];
  readonly seed?: string | undefined;
  readonly backend?: string | undefined;
  readonly threads?: string | undefined;
}): Override[] {
  const shorthands = [
    flags.seed === undefined ? undefined : seedOverride(flags.seed),
    flags.backend === undefined ? undefined : shorthandOverride('backend', ['training', 'backend'], flags.backend),
    flags.threads === undefined ? undefined : shorthandOverride('threads', ['training', 'threads'], flags.threads),
  ];
  return [...shorthands.filter((o) => o !== undefined), ...flags.set.map(parseOverride)];
}
