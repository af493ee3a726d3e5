import { gainProperty, uniformInitialiser } from './family.js';

export interface XavierOptions {
  readonly gain: number;
}

/** w ~ U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
export const xavierUniform = uniformInitialiser<XavierOptions>({
  type: 'xavier-uniform',
  description: 'Uniform on +/- gain*sqrt(6/(fanIn+fanOut)) (Glorot & Bengio)',
  properties: { gain: gainProperty },
  limit: (fan, options) => options.gain * Math.sqrt(6 / (fan.fanIn + fan.fanOut)),
});
