import { isScratchnetError } from '@scratchnet/spec';

/** The runner's exit codes; `runner --help` and the README list them. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  badData: 3,
  diverged: 4,
  output: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP = `Exit codes:
  0    ok
  1    internal error (run with --debug or SCRATCHNET_DEBUG=1 for the stack trace)
  2    usage or config error (bad flags, invalid config, unknown plugin, shapes that do not fit)
  3    bad input data (unreadable, malformed or damaged data/model/checkpoint files, e.g. a SHA-256
       mismatch or a NaN weight; data that does not fit the model)
  4    training diverged (loss or weights not finite; the last good checkpoint is kept)
  5    cannot write output (run directory exists, permissions, disk full)
  130  interrupted (Ctrl-C; a checkpoint is written and the resume command printed)`;

/**
 * An error the user can fix, with the exit code it maps to. Printed without a stack trace.
 * Library errors (ScratchnetError) are mapped by `exitCodeFor`.
 */
export class RunnerError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RunnerError';
  }
}

export const usageError = (message: string): RunnerError => new RunnerError(EXIT.usage, message);
export const dataError = (message: string, cause?: unknown): RunnerError =>
  new RunnerError(EXIT.badData, message, { cause });
export const outputError = (message: string, cause?: unknown): RunnerError =>
  new RunnerError(EXIT.output, message, { cause });

/** Exit code for any thrown value, and whether it is a user error (no stack trace). */
export function classify(error: unknown): { exitCode: ExitCode; userError: boolean } {
  if (error instanceof RunnerError) return { exitCode: error.exitCode, userError: true };
  if (isScratchnetError(error)) {
    switch (error.code) {
      case 'DATA_FORMAT':
      case 'MODEL_FORMAT':
        return { exitCode: EXIT.badData, userError: true };
      case 'DIVERGED':
        return { exitCode: EXIT.diverged, userError: true };
      default:
        return { exitCode: EXIT.usage, userError: true };
    }
  }
  return { exitCode: EXIT.internal, userError: false };
}
