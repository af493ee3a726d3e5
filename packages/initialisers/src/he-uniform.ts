import { uniformInitialiser } from './family.js';

/** w ~ U(-a, a) with a = sqrt(6 / fanIn) (He et al. 2015), so the variance is 2 / fanIn. */
export const heUniform = uniformInitialiser<object>({
  type: 'he-uniform',
  description: 'Uniform on +/- sqrt(6/fanIn) (He et al.; ReLU)',
  limit: (fan) => Math.sqrt(6 / fan.fanIn),
});
