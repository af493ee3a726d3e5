import { ConfigError, ShapeError } from '@scratchnet/spec';
import type { ModelConfig, PluginRegistry } from '@scratchnet/spec';
import { formatShape, shapesEqual } from '@scratchnet/tensor';
import type { Shape } from '@scratchnet/tensor';

/** Per-sample shapes of one layer, as found by the shape pass. */
export interface LayerShapes {
  readonly type: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
}

export interface ShapePass {
  readonly inputShape: Shape;
  readonly layers: readonly LayerShapes[];
  /** Per-sample output of the last layer (the input shape for an empty network). */
  readonly outputShape: Shape;
}

export interface InferShapesOptions {
  /** When given, the network output must be `[classes]` (one score per class). */
  readonly classes?: number;
}

/**
 * `error` at layer `index`, its fix followed by how model.input got there (only the layers that
 * change the shape), so a stack that shrinks an image too far names model.input and the layers
 * that shrink it, not just the layer where the window no longer fits.
 */
function withShapesSoFar(error: ShapeError, index: number, inputShape: Shape, layers: readonly LayerShapes[]): ShapeError {
  const steps = [`model.input ${formatShape(inputShape)}`];
  layers.forEach((layer, i) => {
    if (!shapesEqual(layer.inputShape, layer.outputShape)) steps.push(`model.layers[${i}] (${layer.type}) ${formatShape(layer.outputShape)}`);
  });
  return new ShapeError(index, error.layerType, error.expected, error.actual, `${error.fix} Shapes so far: ${steps.join(' -> ')}.`);
}

function isValidShape(shape: unknown): shape is Shape {
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 1);
}

/**
 * The shape pass: runs every layer plugin's pure `outputShape` in order, before any weight
 * exists. A plugin's ShapeError gets the layer index and the shapes that led to it
 * (`model.layers[i] (type): expected input ..., got .... fix Shapes so far: ...`); a plugin
 * returning something that is not a shape is reported against that layer too. With `classes`, the final shape must be `[classes]` (ConfigError otherwise).
 */
export function inferShapes(model: ModelConfig, registry: PluginRegistry, options: InferShapesOptions = {}): ShapePass {
  if (!isValidShape(model.input) || model.input.length === 0) {
    throw new ConfigError([
      {
        path: ['model', 'input'],
        message: `must be a non-empty list of positive integers (e.g. [784]), got ${JSON.stringify(model.input)}`,
      },
    ]);
  }
  const inputShape: Shape = [...model.input];
  const layers: LayerShapes[] = [];
  let shape = inputShape;
  model.layers.forEach((layerOptions, index) => {
    const plugin = registry.get('layer', layerOptions.type);
    let next: Shape;
    try {
      next = plugin.outputShape(shape, layerOptions as never);
    } catch (error) {
      if (error instanceof ShapeError && error.layerIndex === undefined) throw withShapesSoFar(error, index, inputShape, layers);
      throw error;
    }
    if (!isValidShape(next)) {
      throw new ConfigError([
        {
          path: ['model', 'layers', index],
          plugin: layerOptions.type,
          message:
            `the plugin's outputShape returned ${JSON.stringify(next)} for input ${formatShape(shape)}, ` +
            'which is not a list of positive integers. This is a bug in the layer plugin.',
        },
      ]);
    }
    layers.push({ type: layerOptions.type, inputShape: shape, outputShape: next });
    shape = next;
  });

  const classes = options.classes;
  if (classes !== undefined && !shapesEqual(shape, [classes])) {
    const last = model.layers.length - 1;
    throw new ConfigError([
      {
        path: last < 0 ? ['model', 'input'] : ['model', 'layers', last],
        ...(last < 0 ? {} : { plugin: model.layers[last]!.type }),
        message:
          `the network output is ${formatShape(shape)}, but the loss needs one score per class: [${classes}]. ` +
          `Make the last layer produce ${classes} values (e.g. a dense layer with units: ${classes}).`,
      },
    ]);
  }
  return { inputShape, layers, outputShape: shape };
}
