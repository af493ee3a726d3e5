import { cp, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../src/serve/test-raw-request.js';
import { DOUBLE_PLUGIN_MODULE, digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, waitForLine, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

const GOLDEN_MODEL = join(dirname(fileURLToPath(import.meta.url)), 'golden/format-1/model');

async function serve(dir: string, cwd: string): Promise<{ url: string; port: number; stop: () => Promise<number | null> }> {
  const server = startCli(['serve', dir, '--port', '0', '--json'], { cwd });
  const line = await waitForLine(server.output, (l) => l.includes('"serving"'), 30_000);
  const { url, port } = JSON.parse(line) as { url: string; port: number };
  return {
    url,
    port,
    stop: async () => {
      server.child.kill('SIGINT');
      return (await server.done).code;
    },
  };
}

describe('runner serve', () => {
  it('serves the page, the packages and the model files, and nothing else of the run folder or the disk', async () => {
    const cwd = await tempDir();
    await cp(GOLDEN_MODEL, join(cwd, 'run', 'model'), { recursive: true });
    await writeFile(join(cwd, 'run', 'secret.txt'), 'TOP-SECRET');
    await writeFile(join(cwd, 'run', 'model', 'notes.txt'), 'TOP-SECRET');
    const { url, port, stop } = await serve('run', cwd);
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!) as { imports: Record<string, string> };
    expect(map.imports['@scratchnet/registry']).toBe('/pkg/registry/browser.js');
    for (const target of Object.values(map.imports)) expect((await fetch(new URL(target, url))).status, target).toBe(200);
    for (const name of ['model.json', 'weights.safetensors', 'input.json']) expect((await fetch(`${url}model/${name}`)).status, name).toBe(200);
    const validators = await (await fetch(`${url}validators.js`)).text();
    expect(validators).toContain('"layer:dense"');

    const refused = [
      '/model/notes.txt',
      '/model/../secret.txt',
      '/model/%2e%2e/secret.txt',
      '/model/%2E%2E%2Fsecret.txt',
      '/model/..%2fsecret.txt',
      '/model/..%5csecret.txt',
      '/model/%252e%252e/secret.txt',
      '/page/../../../package.json',
      '/pkg/tensor/%2e%2e/package.json',
      '/pkg/tensor/index.d.ts',
      '//etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const target of refused) {
      const response = await rawRequest(port, target, 'GET', `127.0.0.1:${port}`);
      expect([400, 404], target).toContain(response.status);
      expect(response.raw, target).not.toContain('TOP-SECRET');
      expect(response.raw, target).not.toContain('root:');
    }
    expect(await stop()).toBe(0);
  });

  it('serves a module graph a browser can load without a bundler: every import resolves, no require or process', async () => {
    const cwd = await tempDir();
    const { url, stop } = await serve(GOLDEN_MODEL, cwd);
    const html = await (await fetch(url)).text();
    const { imports } = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!) as { imports: Record<string, string> };
    const seen = new Set<string>();
    const queue = [new URL('/page/browser/main.js', url).href];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (seen.has(next)) continue;
      seen.add(next);
      const response = await fetch(next);
      expect(response.status, next).toBe(200);
      expect(response.headers.get('content-type'), next).toBe('text/javascript; charset=utf-8');
      const source = await response.text();
      expect(source, next).not.toMatch(/\brequire\(|\bprocess\./);
      for (const [, spec] of source.matchAll(/(?:^|;|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'/g)) {
        if (spec!.startsWith('.')) queue.push(new URL(spec!, next).href);
        else {
          expect(imports, `${next} imports ${spec}`).toHaveProperty([spec!]);
          queue.push(new URL(imports[spec!]!, url).href);
        }
      }
    }
    // The page, its model code and the packages it needs, with the registry's browser entry.
    expect(seen.size).toBeGreaterThan(50);
    expect([...seen].some((module) => module.endsWith('/pkg/registry/browser.js'))).toBe(true);
    expect([...seen].some((module) => module.includes('ajv'))).toBe(false);
    expect(await stop()).toBe(0);
  });

  it('refuses bad input with the documented exit codes and no stack trace', async () => {
    const cwd = await tempDir();
    const missing = await runCli(['serve', 'nowhere', '--json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/model folder nowhere not found/);
    await cp(GOLDEN_MODEL, join(cwd, 'damaged'), { recursive: true });
    await writeFile(join(cwd, 'damaged', 'model.json'), '{"format":');
    const damaged = await runCli(['serve', 'damaged'], { cwd });
    expect(damaged.code).toBe(3);
    expect(damaged.stderr).toMatch(/model\.json: expected JSON, found a syntax error/);
    for (const port of ['-1', '65536', 'eighty', '1.5']) {
      const bad = await runCli(['serve', GOLDEN_MODEL, '--port', port], { cwd });
      expect(bad.code, port).toBe(2);
      expect(bad.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
    }
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const busy = await runCli(['serve', GOLDEN_MODEL, '--port', String(taken), '--json'], { cwd });
    blocker.close();
    expect(busy.code).toBe(2);
    expect(parseNdjson(busy.stdout).at(-1)).toMatchObject({ event: 'error', exitCode: 2 });
    expect(busy.stderr).toMatch(new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is in use: pass another with --port N, or --port 0`));
    expect(busy.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a model that needs a plugin the page cannot load, naming it', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 60);
    await mkdir(join(cwd, 'plugins'));
    await writeFile(join(cwd, 'plugins', 'double.mjs'), DOUBLE_PLUGIN_MODULE);
    const config = digitsConfig({ train: 50, test: 10, epochs: 1 }).replace('    - relu\n', '    - relu\n    - acme/double\n');
    await writeFile(join(cwd, 'x.yaml'), `plugins: [./plugins/double.mjs]\n${config}`);
    expect((await runCli(['x.yaml', '--out', 'run'], { cwd })).code).toBe(0);
    const refused = await runCli(['serve', 'run'], { cwd });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/uses plugins \(double\); the draw-a-digit page runs models of built-in plugins only/);
  });
});
