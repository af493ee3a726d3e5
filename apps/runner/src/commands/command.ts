import type { FlagSpecs } from '../args.js';
import type { CliIo } from '../context.js';

/** One `runner <name>` command: its help and its work. Returns the exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage lines without the leading `runner `. */
  readonly usage: readonly string[];
  readonly flags: FlagSpecs;
  /** More help after the flag table. */
  readonly details?: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_FLAGS = {
  json: { type: 'boolean', description: 'machine-readable output: NDJSON on stdout, human text on stderr' },
  debug: { type: 'boolean', description: 'print stack traces of internal errors (also SCRATCHNET_DEBUG=1)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const satisfies FlagSpecs;

/** Flags of commands that read a config. */
export const CONFIG_FLAGS = {
  set: { type: 'string', multiple: true, value: 'PATH=VALUE', description: 'override a config value, e.g. --set training.epochs=5' },
  seed: { type: 'string', value: 'N', description: 'same as --set seed=N' },
  backend: { type: 'string', value: 'KIND', description: 'kernels: auto, wasm or js; same as --set training.backend=KIND' },
  threads: { type: 'string', value: 'N', description: 'threads for wasm kernels, 0 = every core; same as --set training.threads=N' },
} as const satisfies FlagSpecs;

export const DATA_DIR_FLAG = {
  'data-dir': { type: 'string', value: 'DIR', description: 'folder relative data paths also resolve against (default: $SCRATCHNET_DATA)' },
} as const satisfies FlagSpecs;
