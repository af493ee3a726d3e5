import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rawRequest } from './test-raw-request.js';
import { startServer, type RunningServer } from './http-server.js';
import type { Site } from './static-site.js';

/** The real fs/promises, except that `open` fails with EIO for paths the test names. */
const fsHook = vi.hoisted(() => ({ failOpen: undefined as string | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: ((...args: Parameters<typeof actual.open>) => {
      if (fsHook.failOpen !== undefined && String(args[0]).endsWith(fsHook.failOpen)) {
        return Promise.reject(Object.assign(new Error('EIO: simulated'), { code: 'EIO' }));
      }
      return actual.open(...args);
    }) as typeof actual.open,
  };
});

const SECRET = 'TOP-SECRET-5f3a9c';
const HELLO = 'export const hello = "world";\n';
const CSP = "default-src 'self'";

let base = '';
let server: RunningServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'runner-serve-'));
  const root = join(base, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'hello.js'), HELLO);
  await writeFile(join(root, 'broken.js'), 'never read');
  await writeFile(join(root, '.env'), SECRET);
  await writeFile(join(base, 'secret.js'), SECRET);
  await symlink(join(base, 'secret.js'), join(root, 'link.js'));
  await symlink(base, join(root, 'up'));
  await symlink(join(root, '.env'), join(root, 'env.js'));
  // A root that is itself a symlink (as os.tmpdir() is on macOS) must still serve its files.
  await symlink(root, join(base, 'alias'));
  const site: Site = {
    folders: [
      { prefix: '/files/', dir: root },
      { prefix: '/alias/', dir: join(base, 'alias') },
    ],
    memory: [{ path: '/index.html', body: '<!doctype html><title>digits</title>' }],
  };
  server = await startServer({ site, port: 0, headers: { 'Content-Security-Policy': CSP } });
});

afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

afterEach(() => {
  fsHook.failOpen = undefined;
});

/** Whether anything accepts a TCP connection there. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startServer', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
    // On 0.0.0.0 or :: these would connect (127.0.0.2 is loopback on Linux; elsewhere it just fails).
    expect(await accepts('127.0.0.2', server.port)).toBe(false);
    expect(await accepts('::1', server.port)).toBe(false);
  });

  it('serves a file with its type, length and the security headers', async () => {
    const response = await fetch(`${server.url}files/hello.js?v=1`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(HELLO);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(HELLO)));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
  });

  it('serves the in-memory page at /', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('<!doctype html><title>digits</title>');
  });

  it('serves through a root that is itself a symlink', async () => {
    const response = await fetch(`${server.url}alias/hello.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(HELLO);
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await rawRequest(server.port, '/files/hello.js', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.head).toMatch(new RegExp(`\r\ncontent-length: ${Buffer.byteLength(HELLO)}\r\n`, 'i'));
    expect(response.head).toMatch(/\r\ncontent-type: text\/javascript; charset=utf-8\r\n/i);
    expect(response.body).toBe('');
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses %s with 405 and Allow', async (method) => {
    const response = await fetch(`${server.url}files/hello.js`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(await response.text()).toBe('405 Method not allowed\n');
  });

  it.each<[string, number]>([
    ['/%2e%2e/secret.js', 400],
    ['/files/../secret.js', 400],
    ['/files/%2e%2e/secret.js', 400],
    ['/files/%2E%2E%2Fsecret.js', 400],
    ['/files/..%2fsecret.js', 400],
    ['/files/%2e%2e%5csecret.js', 400],
    ['/files/..\\secret.js', 400],
    ['/files/%252e%252e/secret.js', 404],
    ['/files/%c0%ae%c0%ae/secret.js', 400],
    ['/files/hello.js%00', 400],
    ['//secret.js', 400],
    ['/files//secret.js', 400],
    ['/files/.env', 404],
    ['/files/link.js', 404],
    ['/files/env.js', 404],
    ['/files/up/secret.js', 404],
    ['/files/sub', 404],
    ['/files/missing.js', 404],
    ['http://127.0.0.1/files/../secret.js', 400],
  ])('refuses %s with %i and never sends the secret', async (target, status) => {
    const response = await rawRequest(server.port, target);
    expect(response.status).toBe(status);
    expect(response.head).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
    expect(response.raw).not.toContain(SECRET);
  });

  it('refuses requests that name another host (DNS rebinding), and takes localhost with a port', async () => {
    const { port } = server;
    const rebound = await rawRequest(port, '/', 'GET', `attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('<');
    expect((await rawRequest(port, '/', 'GET', `localhost:${port}`)).status).toBe(200);
    expect((await rawRequest(port, '/', 'GET', `127.0.0.1:${port}`)).status).toBe(200);
  });

  it('answers a read error with 500 and keeps serving', async () => {
    fsHook.failOpen = 'broken.js';
    const failed = await fetch(`${server.url}files/broken.js`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('500 Could not read the file\n');
    const next = await fetch(`${server.url}files/hello.js`);
    expect(await next.text()).toBe(HELLO);
  });

  it('rejects with code EADDRINUSE when the port is taken', async () => {
    const attempt = startServer({ site: { folders: [], memory: [] }, port: server.port });
    await expect(attempt).rejects.toBeInstanceOf(Error);
    await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('close() ends promptly with a keep-alive connection and a half-sent request open', async () => {
    const own = await startServer({ site: { folders: [], memory: [{ path: '/index.html', body: 'hi' }] }, port: 0 });
    const socket = connect(own.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Node's server.close() drops idle keep-alive sockets itself, but not one mid-request.
    const slow = connect(own.port, '127.0.0.1');
    const slowClosed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const answered = new Promise<string>((resolve) => {
      let raw = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        raw += chunk;
        if (raw.endsWith('\r\n\r\nhi')) resolve(raw);
      });
    });
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    expect(await answered).toMatch(/^HTTP\/1\.1 200 /);
    expect(socket.destroyed).toBe(false);

    const started = Date.now();
    await own.close();
    await Promise.all([closed, slowClosed]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await accepts('127.0.0.1', own.port)).toBe(false);
    await expect(own.close()).resolves.toBeUndefined();
  }, 10_000);
});
