/** The parts of `process` the guards use, so tests can hand in a fake. */
export interface GuardedProcess {
  exitCode?: number | string | undefined;
  on(event: 'beforeExit', listener: () => void): unknown;
  on(event: 'uncaughtException', listener: (error: unknown) => void): unknown;
  exit(code?: number): never;
}

/**
 * Keeps every way the process can end inside the documented exit codes, with a message:
 * - an error thrown in a callback, or a rejected promise nobody awaited (Node routes unhandled
 *   rejections to 'uncaughtException'), is reported as an internal error (exit 1) at once;
 * - a command whose promise never settles leaves the event loop empty: 'beforeExit' then fires
 *   before the command finished, and that is reported too (exit 1) instead of Node's silent 13.
 * `report` prints an error and returns its exit code; `finished` records the command's own.
 */
export function guardProcess(proc: GuardedProcess, report: (error: unknown) => number): { finished: (code: number) => void } {
  let done = false;
  proc.on('uncaughtException', (error) => {
    done = true;
    proc.exit(report(error));
  });
  proc.on('beforeExit', () => {
    if (done) return;
    done = true;
    proc.exitCode = report(new StalledCommandError());
  });
  return {
    finished(code) {
      done = true;
      proc.exitCode = code;
    },
  };
}

/** The command was waiting for something that can no longer happen. */
export class StalledCommandError extends Error {
  constructor() {
    super(
      'the command stopped before it finished: it was waiting for something that never happened (a promise that never ' +
        "settles, e.g. in a plugin's load()). If a plugin is involved, check it; otherwise please report this with the command you ran.",
    );
  }
}
