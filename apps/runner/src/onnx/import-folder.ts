import { readdir, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_DECODE_LIMITS } from '@scratchnet/onnx';
import type { PluginRegistry } from '@scratchnet/spec';
import type { Backend } from '@scratchnet/tensor';
import { dataError, outputError } from '../exit-codes.js';
import { writeFolderAtomic } from '../run-dir/atomic.js';
import { MODEL_FILES, writeModelFiles } from '../run-dir/model-files.js';
import { importOnnxBytes, type ImportedFolder } from './import-onnx.js';

export interface ImportFileOptions {
  readonly cwd: string;
  readonly registry: PluginRegistry;
  readonly backend: Backend;
  readonly overwrite: boolean;
}

/**
 * Reads an .onnx file (refusing one above the reader's size limit before reading it), maps it and
 * writes the model folder `out` whole or not at all (built under a temp name, then renamed). An
 * existing `out` with content is refused without --overwrite, and with it unless it holds only a
 * model folder's files: --overwrite never removes anything else.
 */
export async function importOnnxFile(file: string, out: string, options: ImportFileOptions): Promise<ImportedFolder & { readonly dir: string }> {
  const path = resolve(options.cwd, file);
  let bytes: Uint8Array;
  try {
    const { size } = await stat(path);
    if (size > DEFAULT_DECODE_LIMITS.maxBytes) {
      throw dataError(`${file}: expected an .onnx file of at most ${DEFAULT_DECODE_LIMITS.maxBytes} bytes, found ${size} bytes. Models this large are not supported.`);
    }
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw dataError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}.`, error);
  }
  const dir = resolve(options.cwd, out);
  await checkOut(dir, out, options.overwrite);
  const folder = importOnnxBytes(bytes, file, options.registry, options.backend);
  writeFolderAtomic(dir, (staging) => writeModelFiles(staging, folder.model, folder.input));
  return { ...folder, dir };
}

async function checkOut(dir: string, out: string, overwrite: boolean): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw outputError(`--out ${out} is a file, not a folder. Pick another --out.`);
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length === 0) return;
  if (!overwrite) throw outputError(`model folder ${out} already exists. Pass --overwrite to replace it, or pick another --out.`);
  const modelFiles: readonly string[] = Object.values(MODEL_FILES);
  const foreign = entries.filter((entry) => !modelFiles.includes(entry));
  if (foreign.length > 0) {
    throw outputError(`refusing to --overwrite ${out}: it holds files a model folder does not (${foreign.slice(0, 5).join(', ')}). Pick another --out.`);
  }
}

