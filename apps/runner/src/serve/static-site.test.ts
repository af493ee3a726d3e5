import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentType, resolveRequest, type Resolved, type Site } from './static-site.js';

// No IO happens here, so the folders need not exist; resolve() makes them absolute on any OS.
const TENSOR = resolve('/srv/scratchnet/packages/tensor/dist');
const MODEL = resolve('/srv/runs/mnist/model');
const STATIC = resolve('/srv/static');

const INDEX = { path: '/index.html', body: '<!doctype html><title>digits</title>' };
const APP = { path: '/app.js', body: new Uint8Array([1, 2, 3]), type: 'text/javascript; charset=utf-8' };

const site: Site = {
  folders: [
    { prefix: '/pkg/@scratchnet/tensor/', dir: TENSOR, extensions: ['.js'] },
    { prefix: '/model/', dir: MODEL, names: ['model.json', 'weights.safetensors'] },
    { prefix: '/static/', dir: STATIC },
    { prefix: '/data', dir: resolve('/srv/data') },
  ],
  memory: [INDEX, APP],
};

const bad = (reason: string): Resolved => ({ kind: 'rejected', status: 400, reason });
const notFound: Resolved = { kind: 'rejected', status: 404, reason: 'Not found' };

describe('resolveRequest refuses traversal', () => {
  const DOTS = bad('Dot segment in path');
  const ESCAPE = bad('Malformed percent-encoding');
  const BACKSLASH = bad('Backslash in path');
  const NUL = bad('Control character in path');
  const EMPTY = bad('Empty path segment');
  it.each<[string, Resolved]>([
    ['/../x', DOTS],
    ['/%2e%2e/x', DOTS],
    ['/%2E%2E%2Fx', DOTS],
    ['/..%2fx', DOTS],
    ['/a/%2e%2e%5c..', BACKSLASH],
    ['//etc/passwd', EMPTY],
    ['/static//etc/passwd', EMPTY],
    ['/static/%2f%2fetc/passwd', EMPTY],
    ['/pkg/@scratchnet/tensor/../../../../etc/passwd', DOTS],
    ['/model/%2e%2e/secret', DOTS],
    ['/model/../model/model.json', DOTS],
    ['/model/..%5csecret', BACKSLASH],
    ['/static/..\\secret', BACKSLASH],
    ['/model/%00model.json', NUL],
    ['/model/model.json%00.js', NUL],
    ['/static/a%0d%0aSet-Cookie:x', NUL],
    ['/%2e/index.html', DOTS],
    ['/static/.', DOTS],
    ['/static/..', DOTS],
    ['/static/%c0%ae%c0%ae/secret', ESCAPE],
    ['/static/%c0%2e%c0%2e/secret', ESCAPE],
    ['/static/%e0%80%ae%e0%80%ae/secret', ESCAPE],
    ['/static/%', ESCAPE],
    ['/static/%2', ESCAPE],
    ['/static/%zz', ESCAPE],
    ['http://127.0.0.1/static/a.png', bad('Bad request path')],
    ['*', bad('Bad request path')],
    ['', bad('Bad request path')],
  ])('%s', (url, expected) => {
    expect(resolveRequest(site, url)).toEqual(expected);
  });

  it('decodes exactly once, so %252e%252e is a literal (missing) name inside the root', () => {
    expect(resolveRequest(site, '/static/%252e%252e/secret')).toEqual({
      kind: 'file',
      path: join(STATIC, '%2e%2e', 'secret'),
      root: STATIC,
    });
    expect(resolveRequest(site, '/model/%252e%252e/secret')).toEqual(notFound);
  });

  it('refuses dotfiles and dot folders anywhere in the path', () => {
    for (const url of ['/static/.env', '/static/.git/config', '/static/a/.hidden/b.png', '/model/.model.json', '/.index.html']) {
      expect(resolveRequest(site, url), url).toEqual(notFound);
    }
  });
});

describe('resolveRequest serves what the site lists', () => {
  it('maps / and /index.html to the in-memory page, ignoring the query and hash', () => {
    for (const url of ['/', '/?v=2', '/#top', '/index.html?x=/../../etc/passwd#..']) {
      expect(resolveRequest(site, url), url).toEqual({ kind: 'memory', file: INDEX });
    }
    expect(resolveRequest(site, '/app.js')).toEqual({ kind: 'memory', file: APP });
  });

  it('maps a folder route to the absolute path under its dir', () => {
    expect(resolveRequest(site, '/pkg/@scratchnet/tensor/index.js')).toEqual({ kind: 'file', path: join(TENSOR, 'index.js'), root: TENSOR });
    expect(resolveRequest(site, '/pkg/@scratchnet/tensor/ops/matmul.js?cache=1')).toEqual({
      kind: 'file',
      path: join(TENSOR, 'ops', 'matmul.js'),
      root: TENSOR,
    });
    expect(resolveRequest(site, '/model/weights.safetensors')).toEqual({ kind: 'file', path: join(MODEL, 'weights.safetensors'), root: MODEL });
    expect(resolveRequest(site, '/static/a%20b.png')).toEqual({ kind: 'file', path: join(STATIC, 'a b.png'), root: STATIC });
    expect(resolveRequest(site, '/%70kg/@scratchnet/tensor/index.js')).toEqual({ kind: 'file', path: join(TENSOR, 'index.js'), root: TENSOR });
  });

  it('the names allowlist refuses other files in the same folder', () => {
    expect(resolveRequest(site, '/model/model.json')).toEqual({ kind: 'file', path: join(MODEL, 'model.json'), root: MODEL });
    for (const url of ['/model/config.resolved.yaml', '/model/model.json.bak', '/model/sub/model.json', '/model/MODEL.JSON']) {
      expect(resolveRequest(site, url), url).toEqual(notFound);
    }
  });

  it('the extensions list refuses other extensions', () => {
    for (const url of ['/pkg/@scratchnet/tensor/index.ts', '/pkg/@scratchnet/tensor/index.js.map', '/pkg/@scratchnet/tensor/index.d.ts', '/pkg/@scratchnet/tensor/js']) {
      expect(resolveRequest(site, url), url).toEqual(notFound);
    }
  });

  it('answers 404 for folders, unknown paths and near-miss prefixes', () => {
    for (const url of ['/model/', '/model', '/static/sub/', '/pkg/@scratchnet/tensor/', '/nowhere.js', '/database/x', '/pkg/@scratchnet/tensorx/a.js']) {
      expect(resolveRequest(site, url), url).toEqual(notFound);
    }
    expect(resolveRequest(site, '/data/x.json')).toEqual({ kind: 'file', path: join(resolve('/srv/data'), 'x.json'), root: resolve('/srv/data') });
  });

  it('prefers the longest matching prefix whatever the order', () => {
    const nested: Site = {
      folders: [
        { prefix: '/pkg/', dir: STATIC, extensions: ['.png'] },
        { prefix: '/pkg/@scratchnet/tensor/', dir: TENSOR, extensions: ['.js'] },
      ],
      memory: [],
    };
    expect(resolveRequest(nested, '/pkg/@scratchnet/tensor/index.js')).toEqual({ kind: 'file', path: join(TENSOR, 'index.js'), root: TENSOR });
    expect(resolveRequest(nested, '/pkg/logo.png')).toEqual({ kind: 'file', path: join(STATIC, 'logo.png'), root: STATIC });
  });

  it('answers 404 for / when the site has no index page', () => {
    expect(resolveRequest({ folders: [], memory: [] }, '/')).toEqual(notFound);
  });
});

describe('contentType', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['main.js', 'text/javascript; charset=utf-8'],
    ['MAIN.JS', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['model.json', 'application/json'],
    ['weights.safetensors', 'application/octet-stream'],
    ['digit.png', 'image/png'],
    ['icon.svg', 'image/svg+xml'],
    ['index.js.map', 'application/json'],
    ['README', 'application/octet-stream'],
    ['archive.tar.gz', 'application/octet-stream'],
  ])('%s is %s', (name, type) => {
    expect(contentType(name)).toBe(type);
  });
});
