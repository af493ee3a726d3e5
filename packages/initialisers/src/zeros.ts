import { SPEC_VERSION, defineInitialiser } from '@scratchnet/spec';
import { initialiserSchema } from './family.js';

/** w = 0. The usual choice for biases; never for weights (every unit would stay identical). */
export const zeros = defineInitialiser<object>({
  kind: 'initialiser',
  type: 'zeros',
  specVersion: SPEC_VERSION,
  description: 'All zeros (biases)',
  optionsSchema: initialiserSchema(),
  create() {
    return {
      fill(target) {
        target.data.fill(0);
      },
    };
  },
});
