import { ConfigError, type ConfigIssue } from '@scratchnet/spec';

/**
 * A model that cannot be written as ONNX: a layer or preprocessing step with no ONNX mapping, a
 * plugin's `toOnnx` that returns a broken graph, a raw input shape that does not fit the model.
 * It is a ConfigError (code CONFIG, exit 2 in the runner): nothing is wrong with the model's
 * files, it is this way of using them that does not work, and the message says what would.
 * `issues` carry the path into model.json (`model.layers[3]`, `preprocess[0]`).
 */
export class OnnxExportError extends ConfigError {
  constructor(issue: ConfigIssue) {
    super([issue]);
  }
}
