/**
 * The ONNX operators `runner import` maps, as `torch.onnx.export` writes them for an MLP or a
 * LeNet-style CNN. Error messages list them, so a user can tell at once what to change in the
 * PyTorch model. Add and Sub/Mul/Div are only accepted in the places named here: elsewhere they
 * are general arithmetic, which no scratchnet layer is.
 */
export const SUPPORTED_OPS: readonly string[] = [
  'Gemm',
  'MatMul (+ Add: the bias)',
  'Conv',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'BatchNormalization',
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Softmax',
  'Flatten',
  'Reshape (to [N, ...])',
  'Dropout',
  'Identity',
  'Constant',
  'Div / Mul / Sub by constants before the first layer (input scaling)',
];

export const SUPPORTED_LIST = SUPPORTED_OPS.join(', ');
