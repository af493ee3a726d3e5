// Golden files: the expected SVG text of each chart, in __golden__/ next to this file (not
// packed: "files" publishes only src/**/*.ts, and check-packages refuses __golden__ folders).
// UPDATE_GOLDEN=1 npx vitest run rewrites them; review the diff before committing it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const FOLDER = new URL('./__golden__/', import.meta.url);

export function expectGolden(name: string, actual: string): void {
  const file = new URL(name, FOLDER);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(FOLDER, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file __golden__/${name} is missing: run \`UPDATE_GOLDEN=1 npx vitest run\` in packages/report and review it.`);
  }
  expect(actual, `differs from __golden__/${name} (if the change is intended: UPDATE_GOLDEN=1 npx vitest run, then review the diff)`).toBe(
    readFileSync(file, 'utf8'),
  );
}
