import { normalInitialiser } from './family.js';

export interface NormalOptions {
  readonly mean: number;
  readonly std: number;
}

/** w ~ N(mean, std^2), independent of the fan. */
export const normal = normalInitialiser<NormalOptions>({
  type: 'normal',
  description: 'Normal with the given mean and std',
  properties: {
    mean: { type: 'number', default: 0, description: 'Mean of the distribution.' },
    std: { type: 'number', minimum: 0, default: 0.01, description: 'Standard deviation (>= 0).' },
  },
  mean: (options) => options.mean,
  std: (_fan, options) => options.std,
});
