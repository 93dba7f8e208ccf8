// Flat config. The layer rules of docs/ARCHITECTURE are enforced here with no-restricted-imports.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'

const coreMayNotImport = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'src/ is the core: it never imports electron.' },
    {
      group: ['vue', 'vue-*', '@vue/*', 'pinia', 'uplot'],
      message: 'src/ is the core: no UI libraries.',
    },
    {
      group: ['**/renderer/**', '**/electron/**'],
      message: 'src/ may not import the hosts or the renderer.',
    },
  ],
}

const rendererMayNotImport = {
  patterns: [
    {
      group: ['electron', 'electron/*'],
      message: 'The renderer reaches the main process only through window.vigil.',
    },
    { group: ['node:*'], message: 'The renderer runs in a browser: no Node built-ins.' },
    {
      group: ['**/src/*', '**/src/**', '!**/src/contract', '!**/src/contract/**'],
      message: 'The renderer may import only types from src/contract.',
    },
    {
      group: ['@vigil/contract', '**/src/contract', '**/src/contract/**'],
      allowTypeImports: true,
      message: 'The renderer may import only types (import type) from the contract.',
    },
  ],
}

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', coreMayNotImport],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**'],
              message: 'The desktop shell does not import the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
      globals: { ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', rendererMayNotImport],
      'vue/multi-word-component-names': 'off',
      // Formatting is Prettier's job.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
)
