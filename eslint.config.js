// One flat config for the whole workspace; `eslint .` in a package finds it by walking up.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Typed rules: an unhandled rejection ends a server process as surely as a throw does, so
    // every promise is awaited, handled, or marked `void` on purpose, and no async function is
    // passed where a void callback is expected (an event handler whose rejection nobody sees).
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Libraries never print: progress and traces go through events and diagnostics_channel.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/cli/src/**', '**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
