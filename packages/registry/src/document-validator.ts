import type { ConfigIssue, ValidationResult } from '@scratchnet/spec';
import { createAjv } from './ajv.js';
import { sortByAppearance } from './issue-order.js';
import { translateErrors, type TopLevelWords } from './messages.js';
import { clonePlain } from './plain-data.js';

/**
 * A validator for another YAML document than an experiment (a sweep file, say) that speaks the
 * way experiment validation does: unknown keys with a did-you-mean, missing keys, one "must be"
 * line per bad value, in the order a reader meets them. The value, with the schema's defaults
 * filled into a copy, is returned only when there are no issues.
 */
export function createDocumentValidator<T>(schema: object, top: TopLevelWords): (raw: unknown) => ValidationResult<T> {
  const validate = createAjv().compile(schema);
  return (raw) => {
    const value = clonePlain(raw);
    if (validate(value)) return { value: value as T, issues: [] };
    const issues: ConfigIssue[] = translateErrors(validate.errors ?? [], value, { basePath: [], top });
    return { issues: sortByAppearance(issues, raw) };
  };
}
