import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeModel, exportOnnxModel, type OnnxExport } from '@scratchnet/onnx';
import type { OnnxFloatTensor } from '@scratchnet/spec';
import type { Backend } from '@scratchnet/tensor';
import { displayPath } from '../config/load-config.js';
import { outputError } from '../exit-codes.js';
import { writeFileAtomic } from '../run-dir/atomic.js';
import { readModelDir, type ModelOnDisk } from '../run-dir/model-files.js';
import { packageVersions } from '../run-dir/versions.js';

/** The file `runner export` writes when --out does not name one: beside model.json. */
export const DEFAULT_ONNX_FILE = 'model.onnx';

export interface ExportFileOptions {
  readonly cwd: string;
  readonly backend: Backend;
  /** --out; default MODEL_DIR/model.onnx (the folder that holds model.json). */
  readonly out?: string;
  readonly opset: number;
  readonly preprocess: boolean;
  /** Replace an existing output file (otherwise exit 5). */
  readonly overwrite: boolean;
  /** --plugins entries, as for eval and predict. */
  readonly plugins?: readonly string[];
}

export interface ExportedFile {
  readonly file: string;
  readonly bytes: number;
  readonly model: ModelOnDisk;
  readonly exported: OnnxExport;
}

/**
 * `runner export`'s IO: loads the model folder (or a run folder's model, with the plugins its
 * model.json records), hands its description and weights to the pure exporter of
 * @scratchnet/onnx, and writes the encoded model atomically (a temp file renamed into place:
 * a crash leaves the old file or none, never half of one). The raw input shape comes from the
 * folder's input.json (what predict reads too), else model.input. An existing output file is
 * kept unless `overwrite`: exit 5 naming it, before anything is computed.
 */
export async function exportModelDir(modelDir: string, options: ExportFileOptions): Promise<ExportedFile> {
  const model = await readModelDir(modelDir, options.cwd, { backend: options.backend, ...(options.plugins === undefined ? {} : { plugins: options.plugins }) });
  const file = options.out === undefined ? join(model.dir, DEFAULT_ONNX_FILE) : resolve(options.cwd, options.out);
  if (!options.overwrite && existsSync(file)) {
    throw outputError(`${displayPath(file, options.cwd)} already exists; pass --overwrite to replace it, or choose another file with --out.`);
  }
  const { network, model: topology, preprocess, classNames, lossOptions, name } = model.loaded;
  const weights: Record<string, OnnxFloatTensor> = {};
  for (const { name: tensorName, value } of [...network.parameters, ...network.state]) {
    weights[tensorName] = { shape: value.shape, data: value.data instanceof Float32Array ? value.data : Float32Array.from(value.data) };
  }
  const version = packageVersions()['@scratchnet/runner'];
  const exported = exportOnnxModel(
    { model: topology, preprocess, classNames, loss: lossOptions, state: network.state.map((s) => ({ name: s.name, shape: [...s.value.shape] })), ...(name === undefined ? {} : { name }) },
    weights,
    {
      registry: model.registry,
      opset: options.opset,
      preprocess: options.preprocess,
      ...(model.input === undefined ? {} : { inputShape: model.input.sampleShape }),
      ...(version === undefined ? {} : { scratchnetVersion: version }),
    },
  );
  const bytes = encodeModel(exported.model);
  writeFileAtomic(file, bytes);
  return { file, bytes: bytes.length, model, exported };
}
