// Hostile or huge data files (issue 11): a gzip bomb given as an idx file must end in a clear
// data error (exit 3) within seconds and without inflating gigabytes into memory.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, removeTempDirs, requireBuiltCli, runCli, tempDir } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** An idx file: unsigned-byte magic, big-endian dims, then `valueBytes` zero bytes. */
function idxHeader(dims: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x800 + dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return bytes;
}

/**
 * An images file whose header declares one 28x28 image (800 bytes) but which inflates to
 * 512 MiB + 800 bytes: the valid image followed by zeros, in one gzip member (Node 24's
 * DecompressionStream refuses concatenated members). Compressed as a stream, so building it
 * holds a megabyte at a time; about 0.5 MB on disk.
 */
async function gzipBomb(): Promise<Uint8Array> {
  const header = idxHeader([1, 28, 28]);
  const image = new Uint8Array(header.length + 28 * 28);
  image.set(header);
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolveDone, reject) => {
    gzip.on('end', resolveDone);
    gzip.on('error', reject);
  });
  gzip.write(image);
  const zeros = new Uint8Array(1 << 20);
  for (let i = 0; i < 512; i++) {
    if (!gzip.write(zeros)) await new Promise((resolveDrain) => gzip.once('drain', resolveDrain));
  }
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('internal error');
}

/** Preloaded into the runner: writes its peak resident memory (KiB) to a file on exit. */
const MEASURE = `const { writeFileSync } = require('node:fs');
process.on('exit', () => writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

describe('a gzip bomb as an idx data file', () => {
  it('exits 3 quickly, naming the file, without a stack trace or gigabytes of memory', async () => {
    const cwd = await tempDir();
    const bomb = await gzipBomb();
    expect(bomb.length).toBeLessThan(4 << 20);
    await writeFile(join(cwd, 'bomb-images.gz'), bomb);
    await writeFile(join(cwd, 'labels.idx'), Buffer.concat([idxHeader([1]), Uint8Array.of(0)]));
    const idxData = '{ type: idx, images: bomb-images.gz, labels: labels.idx }';
    const config = digitsConfig()
      .replace(/ {2}train: .*\n/, `  train: ${idxData}\n`)
      .replace(/ {2}test: .*\n/, `  test: ${idxData}\n`);
    await writeFile(join(cwd, 'x.yaml'), config);
    await writeFile(join(cwd, 'measure.cjs'), MEASURE);

    const started = Date.now();
    const result = await runCli(['x.yaml', '--out', 'run'], {
      cwd,
      env: { NODE_OPTIONS: `--require ${join(cwd, 'measure.cjs')}`, MAX_RSS_FILE: join(cwd, 'max-rss.txt') },
    });
    const elapsed = Date.now() - started;

    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(join(cwd, 'bomb-images.gz'));
    expect(result.stderr).toMatch(/expected 800 bytes after decompression \(1 image of 28x28, as the idx header declares\)/);
    expect(result.stderr).toMatch(/found more than 800 bytes/);
    expectNoStackTrace(result.stderr);
    expect(elapsed).toBeLessThan(5000);
    const maxRssMiB = Number(await readFile(join(cwd, 'max-rss.txt'), 'utf8')) / 1024;
    expect(maxRssMiB).toBeGreaterThan(0);
    expect(maxRssMiB).toBeLessThan(300);
  }, 30_000);
});
