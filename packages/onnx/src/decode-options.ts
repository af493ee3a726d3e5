/** What decodeModel accepts; each limit bounds the memory and time one decode may take. */
export interface DecodeOptions {
  /** Names the input in error messages, e.g. the file name. Default "ONNX model". */
  readonly file?: string;
  /**
   * The largest input accepted, in bytes. Default 256 MiB: far above any model scratchnet
   * trains, and a bound on what one decode may hold (the result's copies of raw_data are never
   * larger than the input).
   */
  readonly maxBytes?: number;
  /**
   * The most elements one tensor may declare (the product of its dims) and the most values one
   * repeated number field may hold. Default 2^26 (a 256 MiB float tensor). Code that allocates
   * a tensor from its dims can rely on this bound.
   */
  readonly maxTensorElements?: number;
  /**
   * How deeply messages may nest. Default 16. The messages read today nest at most 6 deep
   * (model > graph > input > type > tensor_type > shape > dim); the limit keeps recursion bounded
   * should subgraphs (If and Loop bodies) ever be read.
   */
  readonly maxDepth?: number;
}

export const DEFAULT_DECODE_LIMITS = {
  maxBytes: 256 * 2 ** 20,
  maxTensorElements: 2 ** 26,
  maxDepth: 16,
} as const;
