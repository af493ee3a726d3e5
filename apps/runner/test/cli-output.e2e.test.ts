import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/**
 * What the runner prints where nothing may redraw: no ESC byte and no `\r` anywhere, and progress
 * as plain lines. SCRATCHNET_PROGRESS_SECONDS makes the lines come often enough for a short run.
 */
const CONFIG = digitsConfig({ train: 1500, test: 100, epochs: 2, batchSize: 1, learningRate: 0.01 });
const PROGRESS_LINE = /^epoch +\d+\/2 +\d+% {2}loss \d+\.\d{4} {2}[\d,]+ samples\/s {2}ETA \S+$/;
const ESC = '\u001b';

async function setUp(): Promise<string> {
  const cwd = await tempDir();
  await writeDigits(cwd, 1600);
  await writeFile(join(cwd, 'x.yaml'), CONFIG);
  return cwd;
}

/** util-linux `script` gives the runner a real pseudo-terminal (stdout.isTTY); absent elsewhere. */
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI on a pseudo-terminal and returns everything it wrote there (stdout and stderr
 * share the terminal). `stty -onlcr` stops the terminal turning "\n" into "\r\n", so any `\r` in
 * the output is the runner's own.
 */
function runOnTerminal(args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const command = `stty -onlcr; exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm', ...env };
  delete childEnv.SCRATCHNET_DATA;
  if (env.NO_COLOR === undefined) delete childEnv.NO_COLOR;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('output without redraws', () => {
  it.skipIf(!hasScript)('NO_COLOR on a terminal: no ESC, no \\r, progress as plain lines', async () => {
    const cwd = await setUp();
    const result = await runOnTerminal(['x.yaml', '--out', 'run'], cwd, { NO_COLOR: '1', SCRATCHNET_PROGRESS_SECONDS: '0.05' });
    expect(result.code).toBe(0);
    expect(result.output).not.toContain(ESC);
    expect(result.output).not.toContain('\r');
    const lines = result.output.split('\n');
    expect(lines.filter((line) => PROGRESS_LINE.test(line)).length).toBeGreaterThan(0);
    expect(lines.filter((line) => /^epoch [12]\/2 {2}loss /.test(line))).toHaveLength(2);
    expect(result.output).toContain('summary after 2 epochs');
  });

  it.skipIf(!hasScript)('the same terminal without NO_COLOR does redraw (so the test above can tell)', async () => {
    const cwd = await setUp();
    const result = await runOnTerminal(['x.yaml', '--out', 'run', '--set', 'training.epochs=1'], cwd, {});
    expect(result.code).toBe(0);
    expect(result.output).toContain('\r');
    expect(result.output).toContain(ESC);
  });

  it('stdout not a terminal: plain progress lines between the epoch lines, nothing on stderr', async () => {
    const cwd = await setUp();
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd, env: { SCRATCHNET_PROGRESS_SECONDS: '0.05' } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toContain('\r');
    const lines = result.stdout.split('\n');
    const firstEpoch = lines.findIndex((line) => line.startsWith('epoch 1/2  loss'));
    const progress = lines.flatMap((line, i) => (PROGRESS_LINE.test(line) ? [i] : []));
    // Lines during epoch 1 (before its epoch line), from the periodic log rather than one per epoch.
    expect(progress.filter((i) => i < firstEpoch).length).toBeGreaterThan(0);
  });

  it('--json with NO_COLOR: stdout is NDJSON only, and no progress reaches a captured stderr', async () => {
    const cwd = await setUp();
    const result = await runCli(['x.yaml', '--out', 'run', '--json'], { cwd, env: { NO_COLOR: '1', SCRATCHNET_PROGRESS_SECONDS: '0.05' } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const events = parseNdjson(result.stdout);
    expect(events.map((e) => e['event'])).toEqual(['start', 'epoch', 'checkpoint', 'epoch', 'checkpoint', 'summary']);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toContain('\r');
  });
});
