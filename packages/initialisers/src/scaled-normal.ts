import { normalInitialiser } from './family.js';

/**
 * w ~ N(0, 1) / sqrt(fanIn): the "improved" initialisation of Nielsen's Neural Networks and
 * Deep Learning, chapter 3 (`np.random.randn(y, x) / np.sqrt(x)`), so a unit's weighted input
 * starts with std about 1 for inputs of unit scale. Equal in distribution to lecun-normal.
 */
export const scaledNormal = normalInitialiser<object>({
  type: 'scaled-normal',
  description: 'Standard normal divided by sqrt(fanIn) (Nielsen, chapter 3)',
  std: (fan) => 1 / Math.sqrt(fan.fanIn),
});
