import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MissingPluginError, type PluginRegistry } from '@scratchnet/spec';
import type { Backend } from '@scratchnet/tensor';
import { checkModelJson, loadModel, type LoadedModel, type SerialisedModel } from '@scratchnet/train';
import { dataError, usageError } from '../exit-codes.js';
import { missingPluginError, registryForModel } from '../model-plugins.js';
import { writeFileAtomic } from './atomic.js';

export const MODEL_FILES = { model: 'model.json', weights: 'weights.safetensors', input: 'input.json' } as const;

/**
 * What the model's raw input looked like before preprocessing, so `runner predict` can turn a
 * PNG into the same kind of sample (size, value range, binary or grey). Written by the runner
 * beside model.json as input.json.
 */
export interface InputFormat {
  readonly format: 'scratchnet-input';
  readonly formatVersion: 1;
  /** Dataset plugin the model was trained on, e.g. `mnist`. */
  readonly dataset: string;
  /** Raw per-sample shape, e.g. [1, 28, 28] or [64]. */
  readonly sampleShape: readonly number[];
  readonly min: number;
  readonly max: number;
  /** Every training pixel was min or max. */
  readonly binary: boolean;
}

export function writeModelFiles(dir: string, model: SerialisedModel, input: InputFormat, withWeights = true): void {
  writeFileAtomic(join(dir, MODEL_FILES.model), model.modelJson);
  writeFileAtomic(join(dir, MODEL_FILES.input), `${JSON.stringify(input, null, 2)}\n`);
  if (withWeights) writeFileAtomic(join(dir, MODEL_FILES.weights), model.weights);
}

export interface ModelOnDisk {
  readonly dir: string;
  readonly loaded: LoadedModel;
  readonly input?: InputFormat;
  /** Built-ins plus the plugins the model records (or --plugins gives), frozen. */
  readonly registry: PluginRegistry;
  /** E.g. a recorded plugin found in another version. */
  readonly warnings: readonly string[];
}

export interface ReadModelOptions {
  readonly backend: Backend;
  /** --plugins entries: loaded first, in place of recorded plugins of the same namespace. */
  readonly plugins?: readonly string[];
}

/**
 * Loads a model from a model folder (model.json + weights.safetensors), or from a run folder
 * (its model/, or its latest checkpoint when training never finished), with the plugin
 * packages model.json records.
 */
export async function readModelDir(path: string, cwd: string, options: ReadModelOptions): Promise<ModelOnDisk> {
  const dir = await findModelDir(resolve(cwd, path), path);
  const modelFile = join(dir, MODEL_FILES.model);
  const weightsFile = join(dir, MODEL_FILES.weights);
  const [modelJson, weights] = await Promise.all([readOrFail(modelFile, 'utf8'), readOrFail(weightsFile)]);
  const records = checkModelJson(modelJson as string, modelFile).plugins ?? [];
  const { registry, warnings, failures } = await registryForModel(records, dir, options.plugins ?? [], cwd);
  let loaded: LoadedModel;
  try {
    loaded = loadModel(modelJson as string, weights as Uint8Array, registry, {
      backend: options.backend,
      fileNames: { model: modelFile, weights: weightsFile },
    });
  } catch (error) {
    if (error instanceof MissingPluginError) throw missingPluginError(error, failures);
    throw error;
  }
  let input: InputFormat | undefined;
  try {
    input = JSON.parse(await readFile(join(dir, MODEL_FILES.input), 'utf8')) as InputFormat;
  } catch {
    input = undefined; // optional: only PNG prediction needs it
  }
  return { dir, loaded, registry, warnings, ...(input === undefined ? {} : { input }) };
}

async function findModelDir(dir: string, given: string): Promise<string> {
  for (const candidate of [dir, join(dir, 'model'), join(dir, 'checkpoints')]) {
    if (await isFile(join(candidate, MODEL_FILES.model))) return candidate;
  }
  if (!(await exists(dir))) throw usageError(`model folder ${given} not found.`);
  throw usageError(
    `${given} holds no ${MODEL_FILES.model}. Give a model folder (RUN/model), a run folder, or a checkpoints folder.`,
  );
}

async function readOrFail(file: string, encoding?: 'utf8'): Promise<string | Uint8Array> {
  try {
    return encoding ? await readFile(file, encoding) : new Uint8Array(await readFile(file));
  } catch (error) {
    throw dataError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, error);
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
