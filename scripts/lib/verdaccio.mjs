/* global URL, fetch, process, setTimeout -- Node scripts (the lint config declares no Node globals for .mjs files) */
// A throw-away Verdaccio registry on 127.0.0.1 for the round trip: its own storage folder, our
// package names served only from what we publish, everything else proxied to the registry npm
// is configured with here.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { ROOT } from './workspace.mjs';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function configYaml({ storage, htpasswd, uplink }) {
  return `# Written by scripts/registry-roundtrip.mjs; deleted with its folder.
storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(htpasswd)}
    max_users: 10
uplinks:
  upstream:
    url: ${JSON.stringify(uplink)}
    timeout: 120s
    max_fails: 5
packages:
  # Ours come only from what the round trip publishes, never from upstream.
  '@scratchnet/*':
    access: $all
    publish: $authenticated
  'scratchnet-plugin-*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: upstream
web:
  enable: false
max_body_size: 200mb
log: { type: stdout, format: pretty, level: warn }
`;
}

/**
 * Verdaccio's own bin script: run with an explicit node (pnpm's .bin shims are shell scripts
 * that take whichever node is first on PATH).
 */
function verdaccioEntry() {
  return join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
}

/**
 * Starts Verdaccio in its own process group (so stop() ends it and anything it spawned) and
 * waits until it answers. Verdaccio 6 needs Node >= 22: pass `node` to run it on another binary
 * than this script's. Returns { url, stop, kill, log }: stop() ends it politely (async),
 * kill() at once (sync, for exit hooks), log() is its output so far.
 */
export async function startVerdaccio(folder, { uplink, node = process.execPath, timeoutMs = 60_000 }) {
  mkdirSync(join(folder, 'storage'), { recursive: true });
  const config = join(folder, 'config.yaml');
  writeFileSync(config, configYaml({ storage: join(folder, 'storage'), htpasswd: join(folder, 'htpasswd'), uplink }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let output = '';
  const child = spawn(node, [verdaccioEntry(), '--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: folder,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` },
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 5_000;
    while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`Verdaccio exited before answering:\n${output}`);
    try {
      const response = await fetch(new URL('-/ping', url));
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Verdaccio did not answer on ${url} within ${timeoutMs / 1000}s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // Synchronous last resort for process 'exit' hooks.
  const kill = () => {
    try {
      if (!exited) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { url, stop, kill, log: () => output };
}

/** Creates a user through the registry's npm login endpoint and returns its auth token. */
export async function createUser(url, name, password) {
  const response = await fetch(new URL(`-/user/org.couchdb.user:${encodeURIComponent(name)}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, email: `${name}@example.invalid`, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`creating user ${name} on ${url} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}
