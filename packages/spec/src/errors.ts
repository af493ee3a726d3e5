import type { PluginKind, PluginRecord } from './plugins.js';

/**
 * Every error scratchnet throws on purpose. Messages read: where -> what was expected vs found
 * -> how to fix. `code` is stable; the `Symbol.for` brand makes `isScratchnetError` work across
 * duplicate copies of this package in one install.
 */
const BRAND = Symbol.for('scratchnet.error');

export type ErrorCode =
  | 'CONFIG'
  | 'UNKNOWN_PLUGIN'
  | 'DUPLICATE_PLUGIN'
  | 'INVALID_PLUGIN'
  | 'SHAPE'
  | 'DATA_FORMAT'
  | 'MODEL_FORMAT'
  | 'DIVERGED';

export class ScratchnetError extends Error {
  readonly code: ErrorCode;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export function isScratchnetError(error: unknown): error is ScratchnetError {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
}

/** A path into a config object, e.g. ['model', 'layers', 2, 'units']. */
export type ConfigPath = readonly (string | number)[];

/** `model.layers[2].units` */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text === '' ? '(root)' : text;
}

export interface ConfigIssue {
  readonly path: ConfigPath;
  /** Plugin id at or above the path, for messages like `model.layers[2] (dense): ...`. */
  readonly plugin?: string;
  readonly message: string;
  /** Filled by whoever knows the source text (the runner). */
  readonly line?: number;
  readonly col?: number;
}

export class ConfigError extends ScratchnetError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], source?: string) {
    super('CONFIG', ConfigError.describe(issues, source));
    this.issues = issues;
  }

  static describe(issues: readonly ConfigIssue[], source?: string): string {
    return issues
      .map((issue) => {
        const where = source && issue.line !== undefined ? `${source}:${issue.line}:${issue.col ?? 1} ` : '';
        const plugin = issue.plugin ? ` (${issue.plugin})` : '';
        return `${where}${formatPath(issue.path)}${plugin}: ${issue.message}`;
      })
      .join('\n');
  }
}

export class UnknownPluginError extends ScratchnetError {
  constructor(
    readonly kind: PluginKind,
    readonly type: string,
    readonly known: readonly string[],
    readonly suggestion?: string,
  ) {
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
    super(
      'UNKNOWN_PLUGIN',
      `unknown ${kind} type "${type}".${hint} Known ${kind} types: ${known.join(', ') || '(none registered)'}.`,
    );
  }
}

export class DuplicatePluginError extends ScratchnetError {
  constructor(
    readonly kind: PluginKind,
    readonly type: string,
    readonly existingSource: string,
    readonly newSource: string,
  ) {
    super(
      'DUPLICATE_PLUGIN',
      `${kind} "${type}" from ${newSource} is already registered by ${existingSource}. ` +
        'Give the new plugin another id (third-party ids are namespace/name) or register only one of them.',
    );
  }
}

/** A plugin object that breaks the contract (bad id, wrong specVersion, schema that does not compile). */
export class InvalidPluginError extends ScratchnetError {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super('INVALID_PLUGIN', `${source}: ${message}`);
  }
}

/**
 * A shape that does not fit. Plugins' `outputShape` throws it without a layer index; the network
 * builder adds the index with `atLayer`.
 */
export class ShapeError extends ScratchnetError {
  constructor(
    readonly layerIndex: number | undefined,
    readonly layerType: string,
    readonly expected: string,
    readonly actual: string,
    readonly fix: string,
  ) {
    const where = layerIndex === undefined ? `layer (${layerType})` : `model.layers[${layerIndex}] (${layerType})`;
    super('SHAPE', `${where}: expected input ${expected}, got ${actual}. ${fix}`);
  }

  atLayer(index: number): ShapeError {
    return new ShapeError(index, this.layerType, this.expected, this.actual, this.fix);
  }
}

export interface DataLocation {
  readonly file: string;
  readonly byteOffset?: number;
  readonly line?: number;
  readonly col?: number;
  /** JSON path such as `target[12]`. */
  readonly jsonPath?: string;
}

export class DataFormatError extends ScratchnetError {
  constructor(
    readonly location: DataLocation,
    readonly expected: string,
    readonly found: string,
    readonly hint?: string,
  ) {
    super('DATA_FORMAT', DataFormatError.describe(location, expected, found, hint));
  }

  static describe(location: DataLocation, expected: string, found: string, hint?: string): string {
    let where = location.file;
    if (location.line !== undefined) where += `:${location.line}:${location.col ?? 1}`;
    else if (location.byteOffset !== undefined) where += ` (byte ${location.byteOffset})`;
    else if (location.jsonPath !== undefined) where += ` at ${location.jsonPath}`;
    return `${where}: expected ${expected}, found ${found}.${hint ? ` ${hint}` : ''}`;
  }
}

/** A model.json or weights file that cannot be loaded. */
export class ModelFormatError extends ScratchnetError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('MODEL_FORMAT', `${file}: ${message}`);
  }
}

/**
 * A model (or checkpoint) whose layer, loss or preprocessing type comes from a plugin the registry
 * does not hold. `plugin` is the package model.json records for the type's namespace, if any.
 */
export class MissingPluginError extends ModelFormatError {
  constructor(
    file: string,
    readonly kind: PluginKind,
    readonly type: string,
    readonly plugin: PluginRecord | undefined,
  ) {
    super(file, MissingPluginError.describe(kind, type, plugin));
  }

  static describe(kind: PluginKind, type: string, plugin: PluginRecord | undefined): string {
    if (plugin === undefined) {
      const namespace = type.includes('/') ? ` (namespace "${type.slice(0, type.indexOf('/'))}")` : '';
      return (
        `${kind} type "${type}" is not registered, and the model does not record which plugin provides it. ` +
        `Register the plugin package that defines it${namespace} before loading the model.`
      );
    }
    return (
      `this model needs plugin ${plugin.name} (version ${plugin.version}) for ${kind} type "${type}": ` +
      'install it and register it (registry.registerPackage) before loading the model.'
    );
  }
}

/**
 * A loss or weight that stopped being finite. `learningRate` is the rate of the batch that failed
 * (the one its optimiser step uses), since a rate that grew too large is the usual cause.
 */
export class DivergedError extends ScratchnetError {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly what: string,
    readonly learningRate: number,
  ) {
    super(
      'DIVERGED',
      `training diverged: non-finite ${what} at epoch ${epoch} batch ${batch} (lr=${formatRate(learningRate)}). ` +
        'Lower the learning rate, or add gradient-friendly initialisation.',
    );
  }
}

/** Six significant digits: enough to tell rates apart without float noise like 0.30000000000000004. */
function formatRate(rate: number): string {
  return Number.isFinite(rate) ? String(Number(rate.toPrecision(6))) : String(rate);
}
