import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The @scratchnet packages a run depends on, recorded in run.json. */
const PACKAGES = [
  '@scratchnet/tensor',
  '@scratchnet/spec',
  '@scratchnet/registry',
  '@scratchnet/layers',
  '@scratchnet/losses',
  '@scratchnet/optimisers',
  '@scratchnet/initialisers',
  '@scratchnet/datasets',
  '@scratchnet/train',
] as const;

/**
 * The version of each package the runner runs with, itself first, and Node's: enough to know
 * which code a run directory came from. Packages' export maps hide their package.json, so each
 * is found by walking up from the module its name resolves to.
 */
export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  const versions: Record<string, string> = { [own.name]: own.version };
  for (const name of PACKAGES) versions[name] = versionOf(name, require.resolve(name)) ?? 'unknown';
  versions['node'] = process.version;
  return versions;
}

function versionOf(name: string, entry: string): string | undefined {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json at this level: keep walking up
    }
  }
  return undefined;
}
