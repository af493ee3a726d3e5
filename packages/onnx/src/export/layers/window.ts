/**
 * The sliding-window options of conv2d and the pools as ONNX attributes. The arithmetic repeats
 * @scratchnet/layers' window-options.ts (which it does not export): 'same' pads so that a side
 * has ceil(size / stride) outputs, the odd pixel at the bottom/right. ONNX gets explicit `pads`
 * [top, left, bottom, right] (its x1_begin, x2_begin, x1_end, x2_end), never auto_pad, so an
 * uneven 'same' padding is written exactly as scratchnet applies it.
 */
export type SizePair = number | readonly [number, number];
export type Padding = 'valid' | 'same' | number | readonly [number, number];

export interface Window {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
}

const pair = (value: SizePair): readonly [number, number] => (typeof value === 'number' ? [value, value] : [value[0], value[1]]);

function samePadding(size: number, kernel: number, stride: number, dilation: number): readonly [number, number] {
  const outputs = Math.ceil(size / stride);
  const total = Math.max((outputs - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The window over an image [channels, height, width]. */
export function resolveWindow(
  options: { kernelSize: SizePair; stride: SizePair; padding: Padding; dilation: SizePair },
  image: readonly number[],
): Window {
  const kernel = pair(options.kernelSize);
  const stride = pair(options.stride);
  const dilation = pair(options.dilation);
  const [height = 0, width = 0] = image.slice(1);
  let pads: readonly [number, number, number, number];
  if (options.padding === 'same') {
    const [top, bottom] = samePadding(height, kernel[0], stride[0], dilation[0]);
    const [left, right] = samePadding(width, kernel[1], stride[1], dilation[1]);
    pads = [top, left, bottom, right];
  } else {
    const [ph, pw] = options.padding === 'valid' ? [0, 0] : pair(options.padding);
    pads = [ph, pw, ph, pw];
  }
  return { kernel, stride, dilation, pads };
}
