import { extname, relative, resolve, sep } from 'node:path';

/**
 * A URL prefix mapped to a folder on disk. Only files under `dir` are ever named, and only the
 * listed names or extensions when given, so a model folder does not leak its neighbours.
 */
export interface FolderRoute {
  /** E.g. `/pkg/@scratchnet/tensor/`; a missing trailing slash is implied, so `/model` never matches `/models/...`. */
  readonly prefix: string;
  /** Absolute. */
  readonly dir: string;
  /** E.g. ['.js']. */
  readonly extensions?: readonly string[];
  /** Allowlist of paths relative to `dir`, e.g. ['model.json']. */
  readonly names?: readonly string[];
}

/** A file generated in memory (the page's index.html with its import map, a generated module). */
export interface MemoryFile {
  /** The URL path, e.g. `/index.html`. */
  readonly path: string;
  readonly body: string | Uint8Array;
  /** Defaults to the type of the path's extension. */
  readonly type?: string;
}

export interface Site {
  readonly folders: readonly FolderRoute[];
  readonly memory: readonly MemoryFile[];
}

export type Resolved =
  | { kind: 'memory'; file: MemoryFile }
  /** `root` is the route's dir, so the server can check the real path against the real root. */
  | { kind: 'file'; path: string; root: string }
  | { kind: 'rejected'; status: 400 | 404; reason: string };

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.safetensors': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Unknown types are bytes: with nosniff, the browser then refuses to run or render them. */
export function contentType(fileName: string): string {
  return TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

const bad = (reason: string): Resolved => ({ kind: 'rejected', status: 400, reason });
const notFound = (reason: string): Resolved => ({ kind: 'rejected', status: 404, reason });

/** C0 controls (NUL above all) and DEL: no file a site serves needs them, and NUL truncates paths in C. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Maps a request target to what to send. Decodes exactly once and refuses, rather than
 * normalises, anything odd (`.`/`..` segments, backslashes, doubled slashes, NUL): a path that
 * needs cleaning up is never one our own page asks for, and refusing leaves nothing to get wrong.
 * Reasons are fixed texts, never the request, so a response cannot reflect what was sent.
 */
export function resolveRequest(site: Site, rawUrl: string): Resolved {
  const end = rawUrl.search(/[?#]/);
  const raw = end === -1 ? rawUrl : rawUrl.slice(0, end);
  // Absolute-form (`http://host/x`) and `*` are legal HTTP but never sent by a browser to us.
  if (!raw.startsWith('/')) return bad('Bad request path');
  let path: string;
  try {
    // Throws on malformed escapes and on invalid UTF-8, which covers overlong `%c0%ae` dots.
    path = decodeURIComponent(raw);
  } catch {
    return bad('Malformed percent-encoding');
  }
  if (CONTROL.test(path)) return bad('Control character in path');
  if (path.includes('\\')) return bad('Backslash in path');
  if (path === '/') path = '/index.html';
  const segments = path.slice(1).split('/');
  // The last segment may be empty (`/model/`): that is a folder, which is simply not found below.
  if (segments.slice(0, -1).some((segment) => segment === '')) return bad('Empty path segment');
  if (segments.some((segment) => segment === '.' || segment === '..')) return bad('Dot segment in path');
  if (segments.some((segment) => segment.startsWith('.'))) return notFound('Not found');

  const memory = site.memory.find((file) => file.path === path);
  if (memory !== undefined) return { kind: 'memory', file: memory };

  const route = longestPrefix(site.folders, path);
  if (route === undefined) return notFound('Not found');
  const name = path.slice(withSlash(route.prefix).length);
  if (name === '' || name.endsWith('/')) return notFound('Not found');
  if (route.names !== undefined && !route.names.includes(name)) return notFound('Not found');
  if (route.extensions !== undefined && !route.extensions.includes(extname(name))) return notFound('Not found');

  const root = resolve(route.dir);
  const file = resolve(root, ...name.split('/'));
  // Defence in depth: the checks above already rule these out, but this is the one that matters.
  if (!file.startsWith(root + sep) || relative(root, file).split(sep).some((part) => part.startsWith('.'))) {
    return notFound('Not found');
  }
  return { kind: 'file', path: file, root };
}

const withSlash = (prefix: string): string => (prefix.endsWith('/') ? prefix : `${prefix}/`);

/** The most specific route wins, so `/pkg/a/b/` can sit inside `/pkg/a/` whatever the order. */
function longestPrefix(folders: readonly FolderRoute[], path: string): FolderRoute | undefined {
  let best: FolderRoute | undefined;
  for (const route of folders) {
    const prefix = withSlash(route.prefix);
    if (path.startsWith(prefix) && (best === undefined || prefix.length > withSlash(best.prefix).length)) best = route;
  }
  return best;
}
