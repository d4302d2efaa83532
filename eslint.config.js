import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Only the Electron shell (and preload) may import electron: everything else runs under plain Node. */
const electronOnlyInShell = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'electron',
          message:
            'Only src/main/index.ts, src/main/api/ipc.ts and src/preload may import electron.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'test-results/**',
      'playwright-report/**',
      'resources/bench/build/**',
      '.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      ...electronOnlyInShell,
    },
  },
  {
    // CommonJS tool configs (dependency-cruiser loads its config with require).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/main/index.ts', 'src/main/api/ipc.ts', 'src/preload/**/*.ts', 'e2e/electron*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // A skip must say why (test/support/skip.ts records the reason for npm test's summary);
    // vitest's static skips carry no reason.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['it', 'test', 'describe'].flatMap((object) =>
          ['skip', 'skipIf', 'runIf'].map((property) => ({
            object,
            property,
            message: 'Skip with a reason: skipBecause(ctx, reason) from test/support/skip.ts.',
          })),
        ),
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);
