import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EpochEvent, ErrorEvent, SummaryEvent } from '../output/events.js';

/** How a trial's run ended, as its `runner train` process said. */
export type TrialEnd =
  | { readonly status: 'completed'; readonly summary: SummaryEvent }
  | { readonly status: 'interrupted' }
  | { readonly status: 'failed'; readonly exitCode: number | null; readonly message: string };

export interface TrialListener {
  epoch(event: EpochEvent): void;
  end(end: TrialEnd): void;
  /** The trial started again from scratch elsewhere (its worker died); its epochs come again. */
  restarted?(): void;
}

export interface TrialHandle {
  /** Ask the run to stop at its next batch (it writes a checkpoint and ends as interrupted). */
  stop(): void;
}

/** This runner's own command line, so a trial runs the same build as the sweep. */
export const RUNNER_CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

/**
 * Runs `runner <args>` (a trial's `train`) in a child process and reports its NDJSON events.
 * The child gets an IPC channel only so that it stops when this process dies (see cli.ts).
 */
export function runTrialProcess(args: readonly string[], cwd: string, listener: TrialListener): TrialHandle {
  const child = spawn(process.execPath, [RUNNER_CLI, ...args], {
    cwd,
    // Its own process group: Ctrl-C reaches the sweep, which stops each trial once, not twice.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NO_COLOR: '1' } });
  let buffered = '';
  let summary: SummaryEvent | undefined;
  let error: ErrorEvent | undefined;
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const event = parseEvent(line);
      if (event?.event === 'epoch') listener.epoch(event as unknown as EpochEvent);
      else if (event?.event === 'summary') summary = event as unknown as SummaryEvent;
      else if (event?.event === 'error') error = event as unknown as ErrorEvent;
    }
  });
  // Kept short: only the end matters when a trial fails outside its NDJSON (a crash).
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let ended = false;
  const end = (value: TrialEnd): void => {
    if (ended) return;
    ended = true;
    listener.end(value);
  };
  child.on('error', (spawnError) => end({ status: 'failed', exitCode: null, message: `could not start the trial: ${spawnError.message}` }));
  child.on('close', (code, signal) => {
    if (code === 0 && summary !== undefined) end({ status: 'completed', summary });
    else if (code === 130 || signal === 'SIGINT') end({ status: 'interrupted' });
    else end({ status: 'failed', exitCode: code, message: error?.message ?? (stderr.trim().split('\n').pop() || `exited with ${code ?? signal}`) });
  });
  return {
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
  };
}

function parseEvent(line: string): { event?: unknown } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as { event?: unknown };
  } catch {
    return undefined;
  }
}
