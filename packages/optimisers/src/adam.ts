import { SPEC_VERSION, defineOptimiser } from '@scratchnet/spec';
import { adamSchema, createAdam } from './adam-update.js';
import type { AdamOptions } from './adam-update.js';

/**
 * Adam with bias correction; weightDecay is an L2 penalty added to the gradient (as in
 * torch.optim.Adam), so it is scaled by the adaptive step. Formulas: see createAdam.
 */
export const adam = defineOptimiser<AdamOptions>({
  kind: 'optimiser',
  type: 'adam',
  specVersion: SPEC_VERSION,
  description: 'Adam (bias-corrected moments); weightDecay is L2 added to the gradient',
  optionsSchema: adamSchema(0, 'L2 penalty: weightDecay * w is added to the gradient of decayed parameters.'),
  create(options, { params, backend }) {
    return createAdam('adam', options, params, 'l2', backend);
  },
});
