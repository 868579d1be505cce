// Lint rules that keep the project's invariants checkable: floating promises are banned everywhere
// (a forgotten await is a lost start or a lost commit), and workflow code may not reach for Node
// built-ins, clients or the environment (Temporal's sandbox replays it deterministically).
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'net', 'http', 'https', 'child_process', 'crypto', 'os', 'dns', 'path', 'process', 'worker_threads', 'stream'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'bin/**', 'eslint.config.js', '.kta/**', '.dependency-cruiser.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test registers tests synchronously; its returned promise is the runner's to await.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts', 'agents/*/workflow.ts', 'agents/*/prompts.ts', 'test/fixtures/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow code is replayed in a sandbox: no Node built-ins. Move I/O to activities/.' })),
          ...['kafkajs', 'pg', 'openai', '@anthropic-ai/sdk', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map((name) => ({ name, message: 'Workflow code may not use clients; call an activity.' })),
        ],
        patterns: [{ group: ['../activities/*', '../activities/**', '../../activities/**', './activities'], allowTypeImports: true, message: 'Import activities with `import type` and call them through proxyActivities.' }],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows get configuration through their arguments, never from the environment.' }],
    },
  },
);
