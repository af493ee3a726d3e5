// A leaf module (types only from training.ts) so the report can use it without loading the peers.
import type { TrainingEntry } from './training.js';

/** The fastest measured entry whose contestant name starts with any of `prefixes` (a peer at its best thread count). */
export function fastestOf(entries: readonly TrainingEntry[], prefixes: readonly string[]): TrainingEntry | undefined {
  const measured = entries.filter((e) => prefixes.some((p) => e.contestant.startsWith(p)) && e.samplesPerSecond !== undefined);
  return measured.sort((a, b) => b.samplesPerSecond!.median - a.samplesPerSecond!.median)[0];
}
