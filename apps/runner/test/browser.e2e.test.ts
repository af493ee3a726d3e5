// The draw-a-digit page and the run report in real Chromium (Debian's package, driven by
// playwright-core; nothing downloads a browser): a trained tutorial-3 model served by
// `runner serve`, strokes drawn with the mouse, ten MNIST test images opened in the page and
// compared with `runner predict` in Node, and screenshots for the README.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { wasmSupport } from '@scratchnet/tensor';
import pngjs from 'pngjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistTestSet, parseNdjson, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, waitForLine } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
/** Screenshots land here on every run; UPDATE_SCREENSHOTS=1 also copies them into docs/images for the README. */
const OUTPUT = resolve(HERE, '../test-output/browser');

let browser: Browser;
let run: string;
let server: ReturnType<typeof startCli>;
let url: string;

beforeAll(async () => {
  requireBuiltCli();
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests drive Debian's chromium. Install it with apt-get install -y chromium (.ci/run does).`);
  }
  await mkdir(OUTPUT, { recursive: true });
  const dir = await tempDir('runner-browser-');
  run = join(dir, 'tutorial-3');
  const trained = await runCli(['train', join(REPO, 'configs/mnist-relu-softmax.yaml'), '--out', run, '--json'], { cwd: dir });
  expect(trained.code, trained.stderr).toBe(0);
  server = startCli(['serve', run, '--port', '0', '--json'], { cwd: dir });
  url = (JSON.parse(await waitForLine(server.output, (line) => line.includes('"serving"'))) as { url: string }).url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGINT');
  const stopped = await server?.done;
  expect(stopped?.code).toBe(0);
  await removeTempDirs();
});

/** A page that records every console error, uncaught error and CSP violation. */
async function openPage(target: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(target);
  return { page, problems, requests };
}

async function probabilities(page: Page): Promise<number[]> {
  const values = await page.locator('#bars .bar').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-probability') ?? ''));
  return values.map((value) => (value === '' ? Number.NaN : Number(value)));
}

/** Mouse strokes through points given as fractions of the pad. */
async function draw(page: Page, strokes: readonly (readonly [number, number])[][]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  for (const stroke of strokes) {
    const at = ([x, y]: readonly [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 8 });
    await page.mouse.up();
  }
}

async function screenshot(page: Page, name: string, section?: string): Promise<void> {
  const file = join(OUTPUT, name);
  if (section === undefined) await page.screenshot({ path: file });
  else await page.locator(section).screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(join(REPO, 'docs/images'), { recursive: true });
    await copyFile(file, join(REPO, 'docs/images', name));
  }
}

describe('runner serve: the draw-a-digit page in Chromium', () => {
  it('serves the page under a strict Content-Security-Policy and loads the model with no console error', async () => {
    const response = await fetch(url);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(policy).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    const { page, problems, requests } = await openPage(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(problems).toEqual([]);
    expect(requests.every((request) => request.startsWith(url) || request.startsWith('data:'))).toBe(true);
    expect(await page.textContent('#status')).toMatch(/input 28x28, running in this browser on the wasm \((relaxed )?SIMD\) kernels/);
    await page.close();
  });

  it('predicts from mouse strokes, updating from the empty state, and clears back to it', async () => {
    const { page, problems } = await openPage(url);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('body', 'data-state')).toBe('empty');
    expect(await page.textContent('#verdict')).toBe('Draw a digit');
    expect((await probabilities(page)).every(Number.isNaN)).toBe(true);

    // A seven: a bar across the top, then a stroke down to the lower left.
    await draw(page, [
      [
        [0.28, 0.22],
        [0.72, 0.22],
        [0.45, 0.85],
      ],
    ]);
    await page.waitForSelector('body[data-state="predicted"]');
    const seven = await probabilities(page);
    expect(seven.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(await page.getAttribute('#verdict', 'data-class')).toBe('7');
    await screenshot(page, 'draw-a-digit.png');

    await page.click('#clear');
    await page.waitForSelector('body[data-state="empty"]');
    // A one: a single vertical stroke.
    await draw(page, [
      [
        [0.5, 0.15],
        [0.5, 0.85],
      ],
    ]);
    await page.waitForSelector('#verdict[data-class="1"]');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('gives the same probabilities as runner predict in Node for ten MNIST test images', async () => {
    const dir = await tempDir('runner-browser-png-');
    const { labels, image } = mnistTestSet();
    const files: string[] = [];
    for (let i = 0; i < 10; i++) {
      const png = new pngjs.PNG({ width: 28, height: 28 });
      image(i).forEach((v, p) => png.data.set([v, v, v, 255], p * 4));
      const file = join(dir, `mnist-test-${i}-label-${labels[i]}.png`);
      await writeFile(file, pngjs.PNG.sync.write(png));
      files.push(file);
    }
    /** Node's probabilities per file, on the given kernel build. */
    const inNode = async (flavour: string | null): Promise<number[][]> => {
      // Node 20 runs relaxed SIMD (fused multiply-add, as Chromium does) only behind a V8 flag.
      const nodeFlags = flavour === 'relaxed-simd' && !wasmSupport().relaxedSimd ? ['--experimental-wasm-relaxed-simd'] : [];
      const node = await runCli(['predict', run, ...files, '--json'], { cwd: dir, nodeFlags });
      expect(node.code, node.stderr).toBe(0);
      return parseNdjson(node.stdout).map((event) => Object.values(event.probabilities as Record<string, number>));
    };
    const { page, problems } = await openPage(url);
    await page.waitForSelector('body[data-ready="true"]');
    const found: number[][] = [];
    for (const file of files) {
      await page.setInputFiles('#open', file);
      await page.locator('#status', { hasText: `Opened ${file.split('/').at(-1)}` }).waitFor();
      found.push(await probabilities(page));
    }
    expect(found.flat()).toHaveLength(100);

    // Node as a user runs it: on Node 20 plain SIMD (multiply, then add), where Chromium fuses
    // the multiply-adds (relaxed SIMD), so the last bits may differ; never by more than 1e-6.
    const usual = await inNode(wasmSupport().relaxedSimd ? 'relaxed-simd' : 'simd');
    const largest = Math.max(...found.flatMap((row, i) => row.map((p, c) => Math.abs(p - usual[i]![c]!))));
    expect(largest).toBeLessThanOrEqual(1e-6);
    const best = (row: number[]): number => row.indexOf(Math.max(...row));
    expect(found.map(best)).toEqual(usual.map(best));
    // Node on the page's own kernel build: bit for bit the same.
    expect(found).toEqual(await inNode(await page.getAttribute('body', 'data-kernels')));
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('report.html in Chromium', () => {
  it('opens from disk with nothing fetched but itself, and renders', async () => {
    const file = pathToFileURL(join(run, 'report.html')).href;
    const { page, problems, requests } = await openPage(file);
    expect(requests).toEqual([file]);
    expect(problems).toEqual([]);
    expect(await page.locator('svg').count()).toBeGreaterThan(3);
    expect(await page.locator('img').count()).toBeGreaterThan(10);
    await page.setViewportSize({ width: 1000, height: 1000 });
    await page.screenshot({ path: join(OUTPUT, 'report-full.png'), fullPage: true });
    for (const section of ['curves', 'test', 'first-layer']) await screenshot(page, `report-${section}.png`, `#${section}`);
    await page.close();
  });
});
