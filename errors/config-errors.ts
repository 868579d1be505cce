// Configuration and set-up: what a user wrote wrong, and the fix.
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export class NoRouteError extends Error {
  override name = 'NoRouteError';
  constructor(readonly topic: string) {
    super(`Topic ${topic} has no route; add one to the routes file (ROUTES_FILE) or to ROUTES`);
  }
}

/** A topic the brokers do not have: a route's (the bridge would fail on its first request for it) or a command's. */
export class TopicMissingError extends Error {
  override name = 'TopicMissingError';
  constructor(
    readonly topic: string,
    readonly workflowTypes: readonly string[],
    readonly brokers: readonly string[],
  ) {
    super(
      `Topic ${topic}${workflowTypes.length ? ` (routed to ${workflowTypes.join(', ')})` : ''} does not exist on ${brokers.join(',')}; ` +
        `create it (npx kta topics create ${topic} --partitions 1) or correct the topic${workflowTypes.length ? ' in ROUTES' : ''}`,
    );
  }
}

/** A stack service (Temporal, Kafka, PostgreSQL) could not be reached in time. */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  constructor(
    readonly service: string,
    readonly address: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${service} at ${address} is not reachable; ${fix}`, options);
  }
}

/** `kta new agent` cannot write the agent (a bad name, a folder or registration that exists). */
export class AgentScaffoldError extends Error {
  override name = 'AgentScaffoldError';
  constructor(
    readonly workflowType: string,
    problem: string,
  ) {
    super(`Agent ${workflowType} ${problem}`);
  }
}
