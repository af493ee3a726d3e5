import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, wholeNumberFlag } from '../args.js';
import { createReporter, dataDirOf, type CliIo } from '../context.js';
import { EXIT, usageError } from '../exit-codes.js';
import { COMMON_FLAGS, DATA_DIR_FLAG, type Command } from './command.js';

const flags = {
  queue: { type: 'string', value: 'URL', description: 'the sweep queue: redis://HOST:PORT/DB or rediss:// (password in the URL or SCRATCHNET_REDIS_PASSWORD)' },
  concurrency: { type: 'string', value: 'N', description: 'trials at once on this machine (default 1)' },
  store: { type: 'string', value: 'DIR', description: 'keep trial folders in DIR, shared with the coordinator: larger models, and a restarted trial resumes from its checkpoint' },
  ...DATA_DIR_FLAG,
  'lock-seconds': { type: 'string', value: 'S', description: 'a trial held by a worker that died goes to another worker after about this long (default 30)' },
  ...COMMON_FLAGS,
} as const;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'take trials from a sweep queue on Redis and run them (runner sweep --queue)',
  usage: ['worker --queue redis://HOST:PORT/DB [--concurrency N] [--store DIR] [--lock-seconds S] [--json]'],
  flags,
  details: `Runs until stopped. Each trial is a runner train child process of the worker, started from
the config and values the job carries; its epochs go back as job progress, its folder as the
result (up to 32 MB through Redis; above that, use --store). A worker that dies (kill -9, a lost
machine) loses nothing: after --lock-seconds its trial goes to another worker, which starts it
again, or resumes it from its checkpoint when the workers share --store. Ctrl-C stops taking
trials and lets the running ones finish; a second Ctrl-C stops them now (they go back to the queue).`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'worker');
    if (positionals.length > 0) throw usageError(`runner worker takes no file arguments (got ${positionals.join(' ')}); give --queue URL.`);
    if (options.queue === undefined) throw usageError('runner worker needs --queue redis://HOST:PORT/DB: the queue runner sweep --queue puts trials on.');
    const concurrency = wholeNumberFlag(options.concurrency ?? '1', '--concurrency', 1, 64);
    const lockSeconds = wholeNumberFlag(options['lock-seconds'] ?? '30', '--lock-seconds', 1, 3600);
    const reporter = createReporter(io, options.json);
    const dataDir = dataDirOf(options['data-dir'], io);
    const { startWorker } = await import('../sweep/queue/worker.js');
    const worker = await startWorker({
      url: options.queue,
      env: io.env,
      concurrency,
      lockSeconds,
      threads: Math.max(1, Math.floor(availableParallelism() / concurrency)),
      scratch: join(tmpdir(), 'scratchnet-trials'),
      ...(options.store === undefined ? {} : { store: resolve(io.cwd, options.store) }),
      ...(dataDir === undefined ? {} : { dataDir: resolve(io.cwd, dataDir) }),
      cwd: io.cwd,
      note: (text) => reporter.note(text),
      log: (what) => {
        if (options.json) reporter.result('', { event: 'job', ...what });
        else if (what.status !== 'epoch') reporter.note(`${what.sweep} ${what.trial} ${what.status}${what.message === undefined ? '' : `: ${what.message}`}`);
      },
    });
    reporter.note(`worker on ${worker.shown}: ${concurrency} trial${concurrency === 1 ? '' : 's'} at a time; Ctrl-C stops`);
    let interrupts = 0;
    await new Promise<void>((resolveStop) => {
      io.onInterrupt?.(() => {
        interrupts++;
        if (interrupts === 1) {
          reporter.note('stopping: no new trials; the running ones finish (Ctrl-C again stops them now, and they go back to the queue)');
          void worker.close().then(resolveStop);
        } else {
          io.stderr.write('stopped; the running trials go back to the queue\n');
          process.exit(EXIT.interrupted);
        }
      });
    });
    return EXIT.ok;
  },
};
