import { didYouMean } from '@scratchnet/registry';

/** The closest known name to `input`, if one is close enough (the registry's did-you-mean). */
export function suggest(input: string, known: readonly string[]): string | undefined {
  return didYouMean(input, known) ?? undefined;
}
