// The project's error classes. Each message says what failed, names the IDs, and says how to fix it;
// the IDs are also readonly fields so logs and tests need not parse text.
// One module to import them from; each area's classes live in errors/.

export * from './errors/config-errors';
export * from './errors/bridge-errors';
export * from './errors/model-errors';
export * from './errors/effect-errors';
export * from './errors/ops-errors';
export * from './errors/connection-errors';
