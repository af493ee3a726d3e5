import { ModelFormatError } from '@scratchnet/spec';
import type { PluginOptions, PluginRecord, PreprocessState } from '@scratchnet/spec';

export interface PreprocessEntry {
  readonly options: PluginOptions;
  readonly state: PreprocessState;
}

/** The model.json document, formatVersion 1. */
export interface ModelJson {
  readonly format: 'scratchnet-model';
  readonly formatVersion: 1;
  readonly name?: string;
  /** The topology: per-sample input shape and each layer's validated options. */
  readonly model: { readonly input: readonly number[]; readonly layers: readonly PluginOptions[] };
  readonly outputShape: readonly number[];
  readonly preprocess: readonly PreprocessEntry[];
  readonly classNames: readonly string[];
  readonly loss: PluginOptions;
  /** The tensors the weights file holds (informative; the loader derives them from the topology). */
  readonly parameters: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /**
   * The layers' non-trained tensors the weights file also holds (e.g. batch norm's running
   * statistics); informative like `parameters`, and absent when the network has none.
   */
  readonly state?: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /** The plugin packages the model's ids come from (absent when it uses built-ins only). */
  readonly plugins?: readonly PluginRecord[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPluginOptions = (value: unknown): value is PluginOptions => isObject(value) && typeof value['type'] === 'string';

/** Parses model.json text and checks its structure; ModelFormatError(file, where: expected, found). */
export function checkModelJson(text: string, file: string): ModelJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(file, `expected JSON, found a syntax error (${(error as Error).message}). The file is damaged.`);
  }
  const fail = (where: string, expected: string, found: unknown): ModelFormatError =>
    new ModelFormatError(file, `${where}: expected ${expected}, found ${JSON.stringify(found) ?? 'nothing'}.`);
  if (!isObject(raw)) throw fail('(root)', 'an object', raw);
  if (raw['formatVersion'] !== 1) {
    throw new ModelFormatError(
      file,
      `formatVersion: expected 1, found ${JSON.stringify(raw['formatVersion']) ?? 'nothing'}. ` +
        'This @scratchnet/train reads formatVersion 1 only; load the model with the version that wrote it.',
    );
  }
  const model = raw['model'];
  if (!isObject(model)) throw fail('model', 'an object with input and layers', model);
  const input = model['input'];
  if (!Array.isArray(input) || input.length === 0 || !input.every((d) => Number.isInteger(d) && d >= 1)) {
    throw fail('model.input', 'a list of positive integers', input);
  }
  const layers = model['layers'];
  if (!Array.isArray(layers)) throw fail('model.layers', 'a list of layers', layers);
  layers.forEach((layer, i) => {
    if (!isPluginOptions(layer)) throw fail(`model.layers[${i}]`, 'an object with a string type', layer);
  });
  const classNames = raw['classNames'];
  if (!Array.isArray(classNames) || !classNames.every((name) => typeof name === 'string')) {
    throw fail('classNames', 'a list of strings', classNames);
  }
  if (!isPluginOptions(raw['loss'])) throw fail('loss', 'an object with a string type', raw['loss']);
  const preprocess = raw['preprocess'] ?? [];
  if (!Array.isArray(preprocess)) throw fail('preprocess', 'a list', preprocess);
  preprocess.forEach((entry: unknown, i) => {
    if (!isObject(entry) || !isPluginOptions(entry['options']) || !isObject(entry['state'])) {
      throw fail(`preprocess[${i}]`, 'an object with options ({type, ...}) and state', entry);
    }
  });
  const plugins = raw['plugins'] ?? [];
  if (!Array.isArray(plugins)) throw fail('plugins', 'a list', plugins);
  plugins.forEach((plugin: unknown, i) => {
    const strings = ['name', 'version', 'namespace'];
    if (!isObject(plugin) || !strings.every((key) => typeof plugin[key] === 'string') || !['string', 'undefined'].includes(typeof plugin['from'])) {
      throw fail(`plugins[${i}]`, 'an object with string name, version, namespace and optional from', plugin);
    }
  });
  const name = raw['name'];
  if (name !== undefined && typeof name !== 'string') throw fail('name', 'a string', name);
  return { ...(raw as unknown as ModelJson), preprocess: preprocess as PreprocessEntry[], plugins: plugins as PluginRecord[] };
}
