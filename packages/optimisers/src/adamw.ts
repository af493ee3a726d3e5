import { SPEC_VERSION, defineOptimiser } from '@scratchnet/spec';
import { adamSchema, createAdam } from './adam-update.js';
import type { AdamOptions } from './adam-update.js';

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, w -= lr * weightDecay * w
 * before the Adam step (as in torch.optim.AdamW), so decay does not pass through the adaptive
 * scaling. Formulas: see createAdam.
 */
export const adamw = defineOptimiser<AdamOptions>({
  kind: 'optimiser',
  type: 'adamw',
  specVersion: SPEC_VERSION,
  description: 'Adam with decoupled weight decay (w -= lr * weightDecay * w)',
  optionsSchema: adamSchema(0.01, 'Decoupled decay: decayed parameters shrink by lr * weightDecay * w each step.'),
  create(options, { params, backend }) {
    return createAdam('adamw', options, params, 'decoupled', backend);
  },
});
