// Lint rules: type-aware TypeScript checks plus the layer rules of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders a layer may not import from (the direction cli → server|agent|proxy → … → docker|policy|config). */
const layers = {
  policy: ['cli', 'server', 'agent', 'proxy', 'hosts', 'tunnel', 'auth', 'store', 'docker', 'audit'],
  config: ['cli', 'server', 'agent', 'proxy', 'hosts', 'tunnel', 'auth', 'store', 'docker', 'audit'],
  docker: ['cli', 'server', 'agent', 'proxy', 'hosts', 'tunnel', 'auth', 'store', 'audit'],
  log: ['cli', 'server', 'agent', 'proxy', 'hosts', 'tunnel', 'auth', 'store', 'docker', 'audit'],
  proxy: ['cli', 'server', 'agent'],
  hosts: ['cli', 'server', 'agent', 'proxy', 'tunnel', 'auth', 'store', 'audit'],
  auth: ['cli', 'server', 'agent', 'proxy', 'hosts', 'tunnel', 'audit'],
  store: ['cli', 'server', 'agent', 'proxy', 'hosts', 'tunnel', 'auth', 'audit', 'docker', 'policy'],
  audit: ['cli', 'server', 'agent', 'proxy'],
  server: ['cli', 'agent'],
  agent: ['cli', 'server'],
  tunnel: ['cli', 'server', 'agent', 'proxy', 'auth', 'store', 'audit'],
};

/** Globals of the browser code in web/ (TypeScript checks them; this list is for the JavaScript rules). */
const BROWSER_GLOBALS = Object.fromEntries(
  ['window', 'document', 'navigator', 'location', 'fetch', 'WebSocket', 'URL', 'URLSearchParams', 'Blob', 'TextDecoder', 'ResizeObserver',
    'requestAnimationFrame', 'cancelAnimationFrame', 'performance', 'CSSStyleSheet', 'HTMLElement', 'Document', 'Element', 'MouseEvent',
    'MessageEvent', 'AbortSignal', 'setTimeout', 'clearTimeout', 'console'].map((g) => [g, 'readonly']),
);

const layerRules = Object.entries(layers).map(([folder, banned]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: banned.map((b) => `**/${b}/**`).concat(banned.map((b) => `../${b}`)),
            message: `src/${folder} may not import this layer (see docs/architecture.md)`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*'] }, tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'named exports only' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'only src/cli reads the environment' },
        { object: 'process', property: 'exit', message: 'only src/cli exits' },
        { object: 'process', property: 'argv', message: 'only src/cli reads argv' },
      ],
    },
  },
  ...layerRules,
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'max-lines': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['*.config.ts', '*.config.js', 'web/*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The web UI runs in the browser (type-checked through web/tsconfig.json); it imports nothing from src/.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { globals: BROWSER_GLOBALS },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**', '../../src/*', '../../../src/*'], message: 'web/ talks to the server through the API only' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'bin/*'],
    ...tseslint.configs.disableTypeChecked,
  },
);
