import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, waitForLine } from './helpers.js';
import { sweepOutcome, withoutAttempts, writeSweep } from './sweep-fixtures.js';

beforeAll(requireBuiltCli);

let redis: ChildProcess | undefined;
afterAll(async () => {
  if (redis !== undefined && redis.exitCode === null) {
    redis.kill('SIGTERM');
    await new Promise((resolveExit) => redis!.once('exit', resolveExit));
  }
  await removeTempDirs();
});

/** A port nobody listens on right now, on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}

/** Debian's redis-server on 127.0.0.1, with no persistence files (nothing is written to `dir`). */
async function startRedis(dir: string): Promise<number> {
  if (spawnSync('redis-server', ['--version']).error !== undefined) {
    throw new Error('redis-server is not installed; the sweep queue test needs it (apt-get install -y redis-server; .ci/run installs it).');
  }
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  redis.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitForLine(() => output, (line) => line.includes('Ready to accept connections'), 10_000);
  return port;
}

describe('runner sweep --queue with runner worker processes', () => {
  it('finishes every trial exactly once when a worker is killed mid-trial, with the local figures', async () => {
    const cwd = await tempDir();
    const redisDir = await tempDir('runner-redis-');
    await writeSweep(cwd);
    const local = await runCli(['sweep', 'sweep.yaml', '--out', 'local', '--json'], { cwd });
    expect(local.code, local.stderr).toBe(0);

    const port = await startRedis(redisDir);
    const url = `redis://127.0.0.1:${port}/0`;
    const workerArgs = ['worker', '--queue', url, '--lock-seconds', '2', '--json'];
    const doomed = startCli(workerArgs, { cwd });
    const survivor = startCli(workerArgs, { cwd });
    const coordinator = startCli(['sweep', 'sweep.yaml', '--queue', url, '--out', 'remote', '--json'], { cwd });
    try {
      const line = await waitForLine(doomed.output, (l) => l.includes('"status":"epoch"') && l.includes('"epoch":1'), 60_000);
      const killedTrial = (JSON.parse(line) as { trial: string }).trial;
      doomed.child.kill('SIGKILL');
      expect((await doomed.done).signal).toBe('SIGKILL');

      const result = await coordinator.done;
      expect(result.code, result.stderr).toBe(0);
      expect(parseNdjson(result.stdout).at(-1)).toMatchObject({ event: 'sweep', status: 'done', trials: 6, failed: 0 });
      // The killed worker's trial went to the other worker and ran there again from the start.
      const survivorJobs = parseNdjson(survivor.output()).filter((e) => e['event'] === 'job');
      expect(survivorJobs.some((e) => e['trial'] === killedTrial && e['status'] === 'started')).toBe(true);

      const remote = await sweepOutcome(join(cwd, 'remote'));
      expect(withoutAttempts(remote)).toEqual(withoutAttempts(await sweepOutcome(join(cwd, 'local'))));
      for (const trial of remote) expect(await readdir(join(cwd, 'remote', 'trials', trial.id))).toEqual(expect.arrayContaining(['config.resolved.yaml', 'metrics.jsonl', 'report.html']));

      // Exactly once: one job per trial, all completed, none failed or left behind.
      const queue = new Queue('scratchnet-trials', { connection: { host: '127.0.0.1', port } });
      try {
        const jobs = await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed']);
        expect(jobs.map((job) => job.id!.split('--')[1]).sort()).toEqual(remote.map((t) => t.id));
        expect(await queue.getJobCounts('completed', 'failed', 'active', 'waiting')).toMatchObject({ completed: 6, failed: 0, active: 0, waiting: 0 });
      } finally {
        await queue.close();
      }
    } finally {
      for (const child of [doomed.child, survivor.child, coordinator.child]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await Promise.all([survivor.done, coordinator.done]);
    }
    expect(await readdir(redisDir)).toEqual([]);
  }, 180_000);
});
