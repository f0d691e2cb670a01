import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'build/',
      'src/core/wasm/generated/',
      'test-results/',
      'playwright-report/',
      // Scratch space for local runs and benchmarks (gitignored).
      '.tmp/',
      // AssemblyScript is type-checked by its own compiler (see assembly/tsconfig.json).
      'assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
