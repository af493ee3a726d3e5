import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'runs/**', '**/*.d.ts', '**/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // 'lr=${lr}' in quotes reaches the user unrendered; messages-lint.test.ts also catches '{lr}'.
      'no-template-curly-in-string': 'error',
    },
  },
  {
    // Library code is pure: randomness comes from the seeded Rng and only the runner prints.
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng from @scratchnet/tensor.' },
      ],
    },
  },
  {
    // Only the thin file adapters (*.node.ts) and tests may touch the file system.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/*.node.ts', 'packages/*/src/**/*.test.ts', 'packages/*/src/**/test-*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'path', 'node:path', 'process', 'node:process'].map(
            (name) => ({ name, message: 'Library packages do no IO; put file access in a *.node.ts adapter.' }),
          ),
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Library packages do not read the process environment.' }],
    },
  },
);
