import type { StringStringEntryProto } from '../onnx-types.js';
import { OnnxImportError } from './onnx-import-error.js';

/**
 * The metadata_props keys the importer reads: a JSON list of strings, one class name per output,
 * under `class_names` (what `runner export` writes) or `classNames`; without either the classes
 * are named '0', '1', ...
 */
export const METADATA_KEYS = { classNames: ['class_names', 'classNames'] } as const;

/** Class names from the model's metadata, or '0'..'K−1'; a present but unusable entry is an error. */
export function classNamesOf(metadata: readonly StringStringEntryProto[], classes: number, file: string): string[] {
  const entry = metadata.find((e) => (METADATA_KEYS.classNames as readonly string[]).includes(e.key));
  if (entry === undefined) return Array.from({ length: classes }, (_, i) => String(i));
  let names: unknown;
  try {
    names = JSON.parse(entry.value);
  } catch {
    names = undefined;
  }
  const where = `metadata_props ${JSON.stringify(entry.key)}`;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new OnnxImportError(file, where, 'a JSON list of strings', JSON.stringify(entry.value.slice(0, 80)), 'Fix or remove the metadata entry.');
  }
  if (names.length !== classes) {
    throw new OnnxImportError(file, where, `${classes} class names (one per output of the graph)`, `${names.length}`, 'Fix or remove the metadata entry.');
  }
  return names as string[];
}
