import { parseArgs } from '../args.js';
import { selectBackend } from '../backend.js';
import { displayPath } from '../config/load-config.js';
import { createReporter, type CliIo } from '../context.js';
import { dataError, EXIT, usageError } from '../exit-codes.js';
import { readModelDir } from '../run-dir/model-files.js';
import { startServer, type RunningServer } from '../serve/http-server.js';
import { pageSite } from '../serve/page-site.js';
import { COMMON_FLAGS, type Command } from './command.js';

const DEFAULT_PORT = 8080;

const flags = {
  port: { type: 'string', value: 'N', description: `port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)` },
  ...COMMON_FLAGS,
} as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'a draw-a-digit page that runs the model in the browser',
  usage: ['serve MODEL_DIR [--port N] [--json]'],
  flags,
  details: `Serves, on 127.0.0.1 only, a page where you draw a digit with the mouse, a pen or a
finger (or open a PNG or JPEG) and see the model's probabilities for every class as you draw,
with the image the model saw. The model runs in the page, on the same @scratchnet packages and
WebAssembly kernels as in Node: nothing is sent back. The server validates the model before it
serves it; it serves only the page, the packages' JavaScript and the model's three files, under
a Content-Security-Policy without 'unsafe-eval' (validation in the page uses validators
precompiled by the server). Models of built-in plugins only. Ctrl-C stops the server (exit 0).`,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags: options, positionals } = parseArgs(argv, flags, 'serve');
    if (positionals.length !== 1) throw usageError('runner serve needs exactly one MODEL_DIR. See runner serve --help.');
    const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
    if (!/^\d+$/.test(options.port ?? '0') || !Number.isInteger(port) || port > 65535) {
      throw usageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), got ${options.port}.`);
    }
    const model = await readModelDir(positionals[0]!, io.cwd, { backend: selectBackend('js') });
    const shown = displayPath(model.dir, io.cwd);
    if (model.loaded.plugins.length > 0) {
      const names = model.loaded.plugins.map((record) => record.name).join(', ');
      throw dataError(
        `the model in ${shown} uses plugins (${names}); the draw-a-digit page runs models of built-in plugins only. Use runner predict MODEL_DIR PICTURE.png for it.`,
      );
    }
    const { site, policy } = pageSite(model.dir);
    let server: RunningServer;
    try {
      server = await startServer({ site, port, headers: { 'Content-Security-Policy': policy } });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw usageError(`port ${port} on 127.0.0.1 is in use: pass another with --port N, or --port 0 for any free port.`);
      }
      throw error;
    }
    const reporter = createReporter(io, options.json);
    reporter.result(`Draw-a-digit page for ${shown}: ${server.url}  (Ctrl-C stops it)`, {
      event: 'serving',
      url: server.url,
      port: server.port,
      model: shown,
    });
    await new Promise<void>((stop) => {
      const unsubscribe = io.onInterrupt?.(() => {
        unsubscribe?.();
        stop();
      });
    });
    await server.close();
    return EXIT.ok;
  },
};
