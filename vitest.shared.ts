import { defineConfig } from 'vitest/config';

// Tests import sibling packages from their TypeScript sources (the "@scratchnet/source"
// export condition), so a change in one package is seen by its dependants without a rebuild.
const conditions = ['@scratchnet/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@scratchnet/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
