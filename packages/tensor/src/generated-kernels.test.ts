import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * src/generated/wasm-kernels.generated.ts is committed so that tests and typecheck work from a
 * fresh clone; this recompiles assembly/ and fails if the committed bytes are stale.
 */
it('the embedded wasm matches a fresh compile of assembly/', () => {
  const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
  let failure = '';
  try {
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
  } catch (error) {
    failure = String((error as { stderr?: Buffer }).stderr ?? error);
  }
  expect(failure).toBe('');
});
