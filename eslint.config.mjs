// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: no Node, no Nest, no TypeORM, and no
// client/worker/activity SDK packages (those belong to the processes around the workflow).
// Node built-ins are exact module names (`domain` must not also catch `@duban/domain`); the rest
// are package families.
const forbiddenNodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const forbiddenPackages = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'pg',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];
const workflowImportMessage =
  'Workflow code must stay deterministic: import activities as types only and nothing from Node, Nest, TypeORM or the client/worker SDKs.';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      '.tools/',
      'apps/web/dist/',
      'coverage/',
      'test-artifacts/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' }, node: true },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'import/no-cycle': ['error', { maxDepth: 10 }],
      // Nest's DI reads constructor parameter types at run time, so those imports must stay values.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain CommonJS config and support files (jest's config, its reporter, bin/duban).
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenNodeModules.map((name) => ({ name, message: workflowImportMessage })),
          patterns: [{ group: forbiddenPackages, message: workflowImportMessage }],
        },
      ],
    },
  },
);
