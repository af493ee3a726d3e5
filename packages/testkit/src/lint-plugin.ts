import { createRegistry } from '@scratchnet/registry';
import {
  ConfigError,
  InvalidPluginError,
  type JsonSchema,
  type Plugin,
  type PluginKind,
  type PluginPackage,
  type PluginRegistry,
} from '@scratchnet/spec';

export interface LintOptions {
  /**
   * Options (without `type`) that satisfy the plugin's required options. Needed when the schema
   * has `required` options; also checked when given for a plugin without any.
   */
  readonly example?: Readonly<Record<string, unknown>>;
  /**
   * Plugins the referenced options name (e.g. the initialisers a layer's `weightInit` defaults
   * to). Ids that are named but not given get a stand-in that accepts the options used.
   */
  readonly plugins?: readonly Plugin[];
}

export interface LintResult {
  readonly ok: boolean;
  /** One sentence per problem, naming the plugin; empty when ok. */
  readonly problems: readonly string[];
}

const SOURCE = 'lintPlugin';

/** The PluginPackage list that holds each kind, for namespaced stand-ins. */
const PACKAGE_LIST: Readonly<Record<PluginKind, keyof Omit<PluginPackage, 'meta'>>> = {
  layer: 'layers',
  loss: 'losses',
  optimiser: 'optimisers',
  schedule: 'schedules',
  initialiser: 'initialisers',
  dataset: 'datasets',
  preprocess: 'preprocessors',
  augmentation: 'augmentations',
};

const refused = (): never => {
  throw new Error('lintPlugin stand-in: not meant to be called');
};

/** Referenced plugin ids (and the option keys used with each) in a default or example value. */
function collectRefs(value: unknown, into: Map<string, Set<string>>): void {
  if (typeof value === 'string') {
    if (!into.has(value)) into.set(value, new Set());
  } else if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
    const { type, ...options } = value as { type: string };
    const keys = into.get(type) ?? new Set<string>();
    for (const key of Object.keys(options)) keys.add(key);
    into.set(type, keys);
  }
}

/** Registers a permissive stand-in for every referenced id the registry does not have yet. */
function registerStandIns(registry: PluginRegistry, plugin: Plugin, example: Readonly<Record<string, unknown>> | undefined): void {
  const properties = (plugin.optionsSchema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [option, kind] of Object.entries(plugin.references ?? {})) {
    const refs = new Map<string, Set<string>>();
    collectRefs(properties[option]?.default, refs);
    collectRefs(example?.[option], refs);
    for (const [id, keys] of refs) {
      if (registry.has(kind, id)) continue;
      const slash = id.indexOf('/');
      const standIn = {
        kind,
        type: slash < 0 ? id : id.slice(slash + 1),
        specVersion: 1,
        description: `Stand-in for ${kind} "${id}" while linting.`,
        optionsSchema: { type: 'object', properties: Object.fromEntries([...keys].map((key) => [key, {}])) },
        create: refused,
        load: refused,
        outputShape: refused,
      } as unknown as Plugin;
      if (slash < 0) registry.register(standIn, SOURCE);
      else registry.registerPackage({ meta: { name: SOURCE, version: '0.0.0', namespace: id.slice(0, slash) }, [PACKAGE_LIST[kind]]: [standIn] });
    }
  }
}

/** An option name the plugin does not declare. */
function undeclaredOption(plugin: Plugin): string {
  const declared = Object.keys((plugin.optionsSchema.properties ?? {}) as object);
  let name = 'notAnOption';
  while (declared.includes(name)) name += 'X';
  return name;
}

/**
 * Checks a plugin the way the registry and the runner will use it, and returns every problem
 * instead of throwing (see assertPluginValid for the throwing form):
 * 1. it has a description;
 * 2. it registers into a fresh registry (id, specVersion, factories, and the options schema
 *    compiles in ajv strict mode);
 * 3. `{ type }` alone validates, i.e. every option has a default — or, when the schema declares
 *    required options, `options.example` validates;
 * 4. an unknown option is rejected.
 */
export function lintPlugin(plugin: Plugin, options: LintOptions = {}): LintResult {
  const problems: string[] = [];
  const name = `${String(plugin?.kind)} "${String(plugin?.type)}"`;
  const hasDescription = typeof plugin?.description === 'string' && plugin.description.trim() !== '';
  if (!hasDescription) problems.push(`${name}: description is missing; give a one-line summary (it is what \`runner plugins\` shows).`);

  const registry = createRegistry();
  try {
    for (const other of options.plugins ?? []) registry.register(other, `${SOURCE} options.plugins`);
    // Without a description the registry would stop there; lint the rest with a placeholder.
    registry.register(hasDescription ? plugin : ({ ...plugin, description: '(missing)' } as Plugin), SOURCE);
    registerStandIns(registry, plugin, options.example);
  } catch (error) {
    problems.push((error as Error).message);
    return { ok: false, problems };
  }

  const { kind, type } = plugin;
  const required = (plugin.optionsSchema.required ?? []) as readonly string[];
  if (required.length === 0) {
    const bare = registry.validateOptions(kind, { type });
    if (bare.issues.length > 0) {
      problems.push(
        `${name}: { type: "${type}" } alone must validate (give every option a default, or list it in required and ` +
          `pass an example), but:\n${ConfigError.describe(bare.issues)}`,
      );
    }
  } else if (options.example === undefined) {
    problems.push(
      `${name}: declares required options (${required.join(', ')}); pass options that satisfy them, ` +
        `e.g. lintPlugin(plugin, { example: { ${required[0]}: ... } }).`,
    );
  }
  if (options.example !== undefined) {
    const checked = registry.validateOptions(kind, { ...options.example, type });
    if (checked.issues.length > 0) problems.push(`${name}: the example options do not validate:\n${ConfigError.describe(checked.issues)}`);
  }

  const unknown = undeclaredOption(plugin);
  const extra = registry.validateOptions(kind, { ...options.example, type, [unknown]: true });
  if (!extra.issues.some((issue) => issue.path.length === 1 && issue.path[0] === unknown)) {
    problems.push(`${name}: the unknown option "${unknown}" was accepted; undeclared options must be rejected.`);
  }
  return { ok: problems.length === 0, problems };
}

/** lintPlugin that throws InvalidPluginError listing every problem. */
export function assertPluginValid(plugin: Plugin, options?: LintOptions): void {
  const { ok, problems } = lintPlugin(plugin, options);
  if (!ok) throw new InvalidPluginError(SOURCE, `${problems.length} problem(s):\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
}
