import { JsonReporter, HumanReporter } from './output/reporter.js';
import type { Reporter } from './output/events.js';
import { createTerminal, type TextStream } from './output/terminal.js';

/** The outside world a command sees; tests can pass their own streams. */
export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  /** Where SIGINT is observed (the process by default); returns an unsubscribe function. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

export function createReporter(io: CliIo, json: boolean): Reporter {
  const stderr = createTerminal(io.stderr, io.env);
  return json ? new JsonReporter(io.stdout, stderr) : new HumanReporter(createTerminal(io.stdout, io.env), stderr);
}

/** The data directory: --data-dir, else SCRATCHNET_DATA, else none. */
export function dataDirOf(flag: string | undefined, io: CliIo): string | undefined {
  const value = flag ?? io.env.SCRATCHNET_DATA;
  return value === undefined || value === '' ? undefined : value;
}
