import { definePlugin } from '@scratchnet/spec';
import { focal } from './focal.js';
import { maxout } from './maxout.js';
import { swish } from './swish.js';

export { focal, type FocalOptions } from './focal.js';
export { maxout, type MaxoutOptions } from './maxout.js';
export { swish, type SwishOptions } from './swish.js';

/**
 * The package as the runner loads it from `plugins:`. The registry prefixes every id with the
 * namespace: configs name these plugins `extras/swish`, `extras/maxout` and `extras/focal`.
 */
export default definePlugin({
  meta: { name: 'scratchnet-plugin-extras', version: '0.1.0', namespace: 'extras' },
  layers: [swish, maxout],
  losses: [focal],
});
