// ESLint flat config: typescript-eslint's type-checked rules for ts/, test/ and bench/ (promises
// above all: no-floating-promises, no-misused-promises), the size limits, and the layering rules of
// ARCHITECTURE.md as import restrictions. Generated and build output are ignored.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Only ts/store/ loads the native addon; everything else goes through its MessageStore facade.
const nativeImports = { regex: '(^|/)native(/|$)', message: 'only ts/store/ imports native/ (see ARCHITECTURE.md)' };

// Domain and services answer in domain values and typed errors, so a second front (gRPC) can reuse them.
const protocolNeutral = 'domain and services are protocol-neutral: see ARCHITECTURE.md';
const domainRestrictions = [
  { group: ['**/remoting/**', '**/remoting'], message: protocolNeutral },
  { ...nativeImports, message: protocolNeutral },
  { regex: '^node:(net|fs|fs/promises)$', message: protocolNeutral },
];

// ts/protocol/ is what client and broker share about RocketMQ's formats: pure functions over bytes and values.
const sharedProtocol =
  'ts/protocol/ is shared by client and broker: it imports neither of them, no transport, no node:*';
const protocolRestrictions = [
  { group: ['**/remoting/**', '**/remoting', '**/broker/**', '**/client/**'], message: sharedProtocol },
  { ...nativeImports, message: sharedProtocol },
  { regex: '^node:', message: sharedProtocol },
];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'native/',
      'target/',
      'coverage/',
      '.bench-data/',
      'node_modules/',
      'crates/',
      '.peer/',
      'test/compat/java/target/',
      'test/compat/go/bin/',
      'ts/protocol/grpc/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/build-dashboard.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // The size limits: files, functions, lines (comments included).
      'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 70, skipBlankLines: false, skipComments: false }],
      'max-len': ['error', { code: 120, comments: 120, ignoreUrls: true }],
    },
  },
  // Layering. A later block replaces an earlier one's options for the same rule, so each block lists all
  // the restrictions its files have.
  {
    files: ['**/*.ts'],
    ignores: ['ts/store/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nativeImports] }] },
  },
  {
    files: ['ts/broker/domain/**/*.ts', 'ts/broker/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: domainRestrictions }] },
  },
  {
    // The gRPC front is an adapter over the same services as the Remoting front, never through it.
    files: ['ts/broker/grpc/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/remoting/**', '**/remoting', '**/broker/api/**'],
              message: 'the gRPC front uses services, not Remoting: see ARCHITECTURE.md',
            },
            nativeImports,
          ],
        },
      ],
    },
  },
  {
    files: ['ts/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: protocolRestrictions }] },
  },
  {
    // A suite's describe(...) callback is a container of `it` cases, not a function made of steps: the rule
    // counts every case inside it, so a suite of 10 short cases trips it. Exempt test/ from this rule only.
    files: ['test/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
