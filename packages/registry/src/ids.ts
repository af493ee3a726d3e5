/** Built-in plugin ids and package namespaces: lower-case words of letters and digits joined by single hyphens. */
export const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const KEBAB_HELP = 'use lower-case letters and digits in words joined by single hyphens, e.g. "max-pool"';

/** `namespace/type`, or `type` unchanged when it already carries that namespace (or there is none). */
export function joinId(namespace: string | undefined, type: string): string {
  if (namespace === undefined || type.startsWith(`${namespace}/`)) return type;
  return `${namespace}/${type}`;
}

/** Why `type` is not a valid id for a plugin (of a package with `namespace`), or undefined when it is. */
export function checkLocalId(type: string, namespace?: string): string | undefined {
  const local = namespace !== undefined && type.startsWith(`${namespace}/`) ? type.slice(namespace.length + 1) : type;
  if (namespace === undefined && type.includes('/')) {
    return `id "${type}" contains "/"; built-in ids have no namespace. Third-party plugins go through registerPackage(), which adds "namespace/".`;
  }
  if (!KEBAB_CASE.test(local)) return `id "${local}" is not kebab-case; ${KEBAB_HELP}.`;
  return undefined;
}

/** Why `namespace` is not a valid package namespace, or undefined when it is. */
export function checkNamespace(namespace: unknown): string | undefined {
  if (typeof namespace !== 'string') return `meta.namespace must be a string (found ${String(namespace)}).`;
  if (!KEBAB_CASE.test(namespace)) return `namespace "${namespace}" is not kebab-case; ${KEBAB_HELP}.`;
  return undefined;
}
