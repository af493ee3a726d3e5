import { SPEC_VERSION, defineInitialiser } from '@scratchnet/spec';
import { initialiserSchema } from './family.js';

export interface ConstantOptions {
  readonly value: number;
}

/** w = value everywhere. */
export const constant = defineInitialiser<ConstantOptions>({
  kind: 'initialiser',
  type: 'constant',
  specVersion: SPEC_VERSION,
  description: 'Every value set to `value`',
  optionsSchema: initialiserSchema({
    value: { type: 'number', default: 0, description: 'The value written to every element.' },
  }),
  create(options) {
    return {
      fill(target) {
        target.data.fill(options.value);
      },
    };
  },
});
