#!/usr/bin/env node
import type { CliIo } from './context.js';
import { report, runCli } from './main.js';
import { guardProcess } from './process-guards.js';

// A reader that goes away (`runner x.yaml --json | head -1`) must not crash a training run:
// output to a closed pipe is dropped and the run finishes writing its run directory.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

// A sweep starts its trials with an IPC channel only so they can tell when it is gone: a
// coordinator or worker killed with -9 cannot stop its trials, so a trial whose parent vanished
// stops itself as Ctrl-C would (checkpoint, exit 130). The channel must not keep the process up.
if (process.channel) {
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGINT'));
}

const argv = process.argv.slice(2);
const io: CliIo = {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
};
const guard = guardProcess(process, (error) =>
  report(error, io, { json: argv.includes('--json'), debug: argv.includes('--debug') || io.env['SCRATCHNET_DEBUG'] === '1' }),
);
// Not a top-level await: a command stuck on a promise that never settles would then end with
// Node's exit code 13 and no message; the guard reports it instead.
void runCli(argv, io).then(guard.finished);
