import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative, sep } from 'node:path';
import { contentType, resolveRequest, type Site } from './static-site.js';

export interface ServeOptions {
  readonly site: Site;
  /** 0 = any free port. */
  readonly port: number;
  /** Added to every response, e.g. a Content-Security-Policy; cannot override the fixed headers below. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly port: number;
  /** Also drops keep-alive connections, which would otherwise hold the process open for seconds. */
  close(): Promise<void>;
}

/** Loopback only: the page and model are for the person at this machine, not the network. */
const HOST = '127.0.0.1';

/** Sent on every response, errors included; nothing here is worth caching or sniffing. */
const FIXED_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
} as const;

/** Rejects with the listen error itself, so EADDRINUSE keeps its `code` for the command to explain. */
export function startServer(options: ServeOptions): Promise<RunningServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch(() => fail(options, response));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: HOST }, () => {
      server.off('error', reject);
      // Later server errors must not crash the process; requests already answer for themselves.
      server.on('error', () => undefined);
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://${HOST}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            // The callback's error only says it was already closed, which is what was asked for.
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

/**
 * Loopback names only. A web page the person has open elsewhere can point its own host name at
 * 127.0.0.1 (DNS rebinding) and then read this server as same-origin; its requests carry that
 * name in Host, so they are refused.
 */
function loopbackHost(host: string | undefined): boolean {
  const name = host?.replace(/:\d+$/, '').toLowerCase();
  return name === HOST || name === 'localhost';
}

async function handle(options: ServeOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!loopbackHost(request.headers.host)) {
    send(options, response, 403, 'Only http://127.0.0.1 or http://localhost may ask');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(options, response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const head = request.method === 'HEAD';
  const resolved = resolveRequest(options.site, request.url ?? '/');
  if (resolved.kind === 'rejected') {
    send(options, response, resolved.status, resolved.reason);
    return;
  }
  if (resolved.kind === 'memory') {
    const { body, path, type } = resolved.file;
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    reply(options, response, 200, type ?? contentType(path), bytes.byteLength, head ? undefined : bytes);
    return;
  }
  const real = await realInside(resolved.root, resolved.path);
  if (real === undefined) {
    send(options, response, 404, 'Not found');
    return;
  }
  // O_NOFOLLOW: the last component cannot be swapped for a symlink between realpath and open.
  const file = await openOrMissing(real);
  if (file === undefined) {
    send(options, response, 404, 'Not found');
    return;
  }
  try {
    const info = await file.stat();
    if (!info.isFile()) {
      send(options, response, 404, 'Not found');
      return;
    }
    const type = contentType(resolved.path);
    if (head) reply(options, response, 200, type, info.size);
    else {
      const bytes = await file.readFile();
      reply(options, response, 200, type, bytes.byteLength, bytes);
    }
  } finally {
    await file.close();
  }
}

/**
 * The file's real path, if it and the root's real path agree that it is inside the root and not
 * a dotfile: a symlink inside the root may point anywhere, and only the real path tells.
 */
async function realInside(root: string, path: string): Promise<string | undefined> {
  const [realRoot, real] = await Promise.all([realOrMissing(root), realOrMissing(path)]);
  if (realRoot === undefined || real === undefined || !real.startsWith(realRoot + sep)) return undefined;
  return relative(realRoot, real).split(sep).some((part) => part.startsWith('.')) ? undefined : real;
}

/** Errors that mean "no such file here" (a 404); anything else is a real failure (a 500). */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);
const isMissing = (error: unknown): boolean => MISSING.has((error as NodeJS.ErrnoException).code ?? '');

async function realOrMissing(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function openOrMissing(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function reply(
  options: ServeOptions,
  response: ServerResponse,
  status: number,
  type: string,
  length: number,
  body?: Uint8Array,
  extra: Readonly<Record<string, string>> = {},
): void {
  // setHeader ignores case, so a caller's `cache-control` replaces rather than doubles ours.
  const headers = { ...options.headers, ...extra, ...FIXED_HEADERS, 'Content-Type': type, 'Content-Length': String(length) };
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.writeHead(status);
  response.end(body);
}

/** A short plain-text answer; `text` is always one of our fixed reasons, never the request. */
function send(options: ServeOptions, response: ServerResponse, status: number, text: string, extra?: Readonly<Record<string, string>>): void {
  const bytes = Buffer.from(`${status} ${text}\n`, 'utf8');
  reply(options, response, status, 'text/plain; charset=utf-8', bytes.byteLength, bytes, extra);
}

/** A read failed: answer 500 if we still can, else cut the connection; the server keeps serving. */
function fail(options: ServeOptions, response: ServerResponse): void {
  if (response.headersSent) response.destroy();
  else send(options, response, 500, 'Could not read the file');
}
