import type { BuildContext, Layer, LayerPlugin, Options, PluginOptions } from '@scratchnet/spec';
import { optionsWithDefaults } from '@scratchnet/testkit';
import { type DenseOptions, dense } from './dense.js';
import { type LayerFusion, fuseLayers } from './dense-fusion.js';

/**
 * Test-only (excluded from the build): a dense layer and the activation after it as one layer
 * plugin, so the testkit's checks (gradients, buffers, inputGradient: false, batch invariance)
 * run on the pair. `fused` builds the pair as a network does (fuseLayers); otherwise the two
 * plugins are built apart, as before fusion existed. The pair's parameters are dense's.
 */
export function densePair<O>(activation: LayerPlugin<O>, activationOptions: Partial<O>, fused: boolean): LayerPlugin<DenseOptions> {
  const second = optionsWithDefaults(activation, activationOptions);
  const asCandidate = (plugin: object, options: object) => ({ plugin: plugin as LayerPlugin<never>, options: options as PluginOptions });
  return {
    ...dense,
    type: `dense-${activation.type}${fused ? '-fused' : ''}`,
    create(options: Options<DenseOptions>, context: BuildContext): Layer {
      const fusion: LayerFusion | undefined = fused
        ? fuseLayers(asCandidate(dense, options), asCandidate(activation, second))
        : undefined;
      if (fused && fusion === undefined) throw new Error(`dense and ${activation.type} do not fuse`);
      const first = fusion?.createFirst(context) ?? dense.create(options, context);
      const secondContext = { ...context, inputShape: [options.units], inputGradient: true };
      const after = fusion?.createSecond(secondContext) ?? activation.create(second, secondContext);
      return chain(first, after);
    },
  };
}

/** Two layers run one after the other, the parameters being the first one's. */
function chain(first: Layer, second: Layer): Layer {
  return {
    params: first.params,
    ...(first.decayed === undefined ? {} : { decayed: first.decayed }),
    forward(input, mode, buffers) {
      const a = first.forward(input, mode, buffers);
      // Each layer of a network gets its own buffers; the pair shares one set, so the second
      // layer's keys are kept apart.
      const b = second.forward(a.output, mode, buffers === undefined ? undefined : { get: (key, shape, dtype) => buffers.get(`second ${key}`, shape, dtype) });
      return {
        output: b.output,
        backward(outputGrad, grads) {
          const between = b.backward(outputGrad, {});
          return between === undefined ? undefined : a.backward(between, grads);
        },
      };
    },
  };
}
