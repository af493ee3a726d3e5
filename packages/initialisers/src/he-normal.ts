import { normalInitialiser } from './family.js';

/** w ~ N(0, std^2) with std = sqrt(2 / fanIn) (He et al. 2015), for ReLU layers. */
export const heNormal = normalInitialiser<object>({
  type: 'he-normal',
  description: 'Normal with std sqrt(2/fanIn) (He et al.; ReLU)',
  std: (fan) => Math.sqrt(2 / fan.fanIn),
});
