import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'reports/', 'dashboards/', 'bench/results/', 'test/fixtures/profiles/syntax-error.ts', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli chooses exit codes.' }],
    },
  },
  {
    files: ['src/cli/**', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
