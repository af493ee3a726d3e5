import { normalInitialiser } from './family.js';

/** w ~ N(0, std^2) with std = sqrt(1 / fanIn) (LeCun et al. 1998), for tanh/SELU layers. */
export const lecunNormal = normalInitialiser<object>({
  type: 'lecun-normal',
  description: 'Normal with std sqrt(1/fanIn) (LeCun; tanh, SELU)',
  std: (fan) => Math.sqrt(1 / fan.fanIn),
});
