// The doctor (`kta doctor`): checks a deployment from the configuration the bridge and the worker read,
// one result per check (ok / warn / fail, what was found, how to fix it), in a typed report.
import { loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import { consumerGroupCheck, deadLetterTopicsCheck, kafkaCheck, retentionCheck, topicsCheck } from './kafka';
import { llmCheck, modelLimiterCheck } from './llm';
import { postgresCheck } from './postgres';
import { kafkaSecurityCheck, postgresSecurityCheck, temporalSecurityCheck } from './security';
import { toReport, type DoctorReport } from './report';
import { CONFIG_CHECK, runChecks, type DoctorCheck, type DoctorContext } from './runner';
import { heartbeatBudgetCheck, searchAttributesCheck, temporalCheck, workersCheck } from './temporal';

export const CHECK_TIMEOUT_MS = 5_000;

function configCheck(env: NodeJS.ProcessEnv): DoctorCheck {
  return {
    name: CONFIG_CHECK,
    needs: [],
    async run(ctx) {
      try {
        ctx.config = loadConfig(env);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return { status: 'fail', message: `${err.problems.length} problem(s): ${err.problems.join('; ')}`, fix: 'set the variables as each problem says (README, Configuration)', details: { problems: err.problems } };
      }
      const { routes, temporal, kafka } = ctx.config;
      const routeList = routes.map((r) => `${r.topic} -> ${r.workflowType} on ${r.taskQueue}`).join(', ');
      return {
        status: 'ok',
        message: `${routes.length} route(s): ${routeList}; Temporal ${temporal.address}/${temporal.namespace}; Kafka ${kafka.brokers.join(',')} group ${kafka.groupId}`,
        details: { routes: routes.map(({ topic, workflowType, taskQueue }) => ({ topic, workflowType, taskQueue })) },
      };
    },
  };
}

/** Every check in report order; each runs as soon as the checks it needs are done. */
export const doctorChecks = (env: NodeJS.ProcessEnv): DoctorCheck[] => [
  configCheck(env),
  temporalSecurityCheck,
  temporalCheck,
  searchAttributesCheck,
  heartbeatBudgetCheck,
  kafkaSecurityCheck,
  kafkaCheck,
  topicsCheck,
  deadLetterTopicsCheck,
  retentionCheck,
  consumerGroupCheck,
  workersCheck,
  postgresSecurityCheck,
  postgresCheck,
  llmCheck,
  modelLimiterCheck,
];

/** Runs every check against the deployment `env` describes, and closes what the checks opened. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env, opts: { timeoutMs?: number } = {}): Promise<DoctorReport> {
  const ctx: DoctorContext = { timeoutMs: opts.timeoutMs ?? CHECK_TIMEOUT_MS };
  try {
    return toReport(await runChecks(doctorChecks(env), ctx));
  } finally {
    await Promise.allSettled([ctx.temporal?.connection.close(), ctx.kafka?.admin.disconnect(), ctx.pool?.end()]);
  }
}
