import { flattenNode, reshapeKeepingBatch, type LayerMapping } from './layer-mapping.js';

/** flatten -> Flatten (axis 1: the batch stays, the rest becomes one row-major dimension). */
export const flattenToOnnx: LayerMapping = ({ input, output }) => [flattenNode(input, output)];

/** reshape -> Reshape to [N, ...shape] with the batch copied from the input. */
export const reshapeToOnnx: LayerMapping = (context) => [reshapeKeepingBatch(context, context.input, context.outputShape, context.output)];

/** dropout -> nothing: at inference it is the identity (inverted dropout scales while training). */
export const dropoutToOnnx: LayerMapping = () => [];
