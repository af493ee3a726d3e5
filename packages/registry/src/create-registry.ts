import type { PluginRegistry } from '@scratchnet/spec';
import { ajvCompiler } from './ajv.js';
import { registryWithCompiler } from './registry.js';
import type { RegistryOptions } from './schema-compiler.js';

/**
 * A new, empty plugin registry. Schemas compile with ajv when a plugin registers, unless
 * `options.compile` says otherwise (e.g. validators made ahead of time for a browser page).
 */
export function createRegistry(options: RegistryOptions = {}): PluginRegistry {
  return registryWithCompiler(options.compile ?? ajvCompiler());
}
