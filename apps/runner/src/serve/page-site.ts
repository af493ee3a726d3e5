import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { standaloneValidators } from '@scratchnet/registry';
import { createPageRegistry } from '../page/page-model.js';
import { MODEL_FILES } from '../run-dir/model-files.js';
import type { Site } from './static-site.js';

/** The built page: dist/page beside dist/serve. */
const PAGE_DIR = fileURLToPath(new URL('../page/', import.meta.url));

/**
 * The packages the page imports, each by the entry a browser loads: the registry's browser
 * entry has no ajv (CommonJS, and it compiles validators with `new Function`).
 */
const PAGE_PACKAGES: Readonly<Record<string, string>> = {
  '@scratchnet/spec': '',
  '@scratchnet/tensor': '',
  '@scratchnet/registry': '/browser',
  '@scratchnet/layers': '',
  '@scratchnet/losses': '',
  '@scratchnet/optimisers': '',
  '@scratchnet/initialisers': '',
  '@scratchnet/datasets': '',
  '@scratchnet/digits-data': '',
  '@scratchnet/train': '',
};

/**
 * Where each page package's entry file is, resolved the way Node would from the package that
 * depends on it (pnpm gives a package only its own dependencies), starting from the runner.
 */
function resolveEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  const queue = [fileURLToPath(import.meta.url)];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    const require = createRequire(from);
    for (const [name, subpath] of Object.entries(PAGE_PACKAGES)) {
      if (entries.has(name)) continue;
      try {
        const entry = require.resolve(name + subpath);
        entries.set(name, entry);
        queue.push(entry);
      } catch {
        // Not a dependency of this package; another one on the queue may have it.
      }
    }
  }
  const missing = Object.keys(PAGE_PACKAGES).filter((name) => !entries.has(name));
  if (missing.length > 0) throw new Error(`runner serve: cannot find ${missing.join(', ')} from the runner's installation`);
  return entries;
}

export interface PageSite {
  readonly site: Site;
  /** The Content-Security-Policy every response carries. */
  readonly policy: string;
}

/**
 * The draw-a-digit page for one model folder: the page's own files, each page package's dist
 * folder (JavaScript only), the three model files, index.html with its import map, and
 * precompiled validators for the page's registry. Nothing else on disk is reachable.
 */
export function pageSite(modelDir: string): PageSite {
  const folders = [
    { prefix: '/page/', dir: PAGE_DIR, extensions: ['.js', '.css'] },
    { prefix: '/model/', dir: modelDir, names: Object.values(MODEL_FILES) },
  ];
  const imports: Record<string, string> = {};
  for (const [name, entry] of resolveEntries()) {
    const prefix = `/pkg/${name.slice('@scratchnet/'.length)}/`;
    folders.push({ prefix, dir: dirname(entry), extensions: ['.js'] });
    imports[name] = prefix + basename(entry);
  }
  const importMap = JSON.stringify({ imports }, null, 2);
  // An inline import map is a script to CSP: allowed by its hash, so no 'unsafe-inline'.
  const hash = createHash('sha256').update(importMap).digest('base64');
  const template = readFileSync(join(PAGE_DIR, 'browser', 'index.html'), 'utf8');
  const html = template.replace('<!--importmap-->', `<script type="importmap">${importMap}</script>`);
  const validators = standaloneValidators((compile) => createPageRegistry({ compile }));
  const policy = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    site: {
      folders,
      memory: [
        { path: '/index.html', body: html },
        { path: '/validators.js', body: validators },
      ],
    },
    policy,
  };
}
