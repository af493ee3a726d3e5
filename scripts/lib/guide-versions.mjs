// The @scratchnet/* version ranges in docs/plugins.md (the example plugin's peer and dev
// dependencies), written from the versions the next release publishes: each package's version
// plus its pending changesets, as `changeset version` will compute it. The guide documents the
// code on this branch (its examples use APIs of the next release), and the local registry it
// sends readers to publishes exactly those versions; once released, with no changesets pending,
// they are simply the packages' versions. Used by scripts/guide-versions.mjs (writes or checks
// the guide) and scripts/test/guide-versions.test.ts (fails `pnpm test` when it is stale).
import getReleasePlan from '@changesets/get-release-plan';
import { join } from 'node:path';
import { ROOT, publishablePackages } from './workspace.mjs';

export const GUIDE = join(ROOT, 'docs', 'plugins.md');

// `"@scratchnet/spec": "^0.2.0"` in JSON, or `@scratchnet/spec@^0.2.0` on a command line.
const RANGE = /(@scratchnet\/[a-z0-9-]+)("\s*:\s*"|@)\^(\d+\.\d+\.\d+)/g;

/**
 * The range a plugin should declare for a version: the release line it belongs to, from its
 * first version (0.2.3 -> ^0.2.0, 1.4.2 -> ^1.4.0, 0.0.3 -> ^0.0.3), so a patch release does not
 * change the guide.
 */
export function caretRange(version) {
  const [major, minor, patch] = version.split('-')[0].split('.');
  return major === '0' && minor === '0' ? `^0.0.${patch}` : `^${major}.${minor}.0`;
}

/** name -> the version the next release gives each publishable workspace package. */
export async function releaseVersions(root = ROOT) {
  const plan = await getReleasePlan(root);
  const planned = new Map(plan.releases.map((release) => [release.name, release.newVersion]));
  return new Map(publishablePackages().map((pkg) => [pkg.name, planned.get(pkg.name) ?? pkg.version]));
}

/** Every @scratchnet range in the text, as { name, range, line }. */
export function rangesIn(text) {
  return [...text.matchAll(RANGE)].map((match) => ({
    name: match[1],
    range: `^${match[3]}`,
    line: text.slice(0, match.index).split('\n').length,
  }));
}

/** The text with every @scratchnet range set from `versions`; throws for a package it does not know. */
export function withRanges(text, versions) {
  return text.replace(RANGE, (_match, name, separator) => {
    const version = versions.get(name);
    if (version === undefined) throw new Error(`the guide names ${name}, which is not a publishable workspace package.`);
    return `${name}${separator}${caretRange(version)}`;
  });
}
