import { gainProperty, normalInitialiser } from './family.js';
import type { XavierOptions } from './xavier-uniform.js';

/** w ~ N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
export const xavierNormal = normalInitialiser<XavierOptions>({
  type: 'xavier-normal',
  description: 'Normal with std gain*sqrt(2/(fanIn+fanOut)) (Glorot & Bengio)',
  properties: { gain: gainProperty },
  std: (fan, options) => options.gain * Math.sqrt(2 / (fan.fanIn + fan.fanOut)),
});
