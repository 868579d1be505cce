// Namespace settings the dev server cannot take as start flags: retention. Closed workflows are the
// audit trail of what the agents did with each record, so they live as long as Kafka keeps the
// records (7 days by default) instead of the dev server's 24 hours.
import { TemporalNamespaceError } from './errors';
import { runCommand } from './run-command';
import { temporalCliEnv } from './temporal-cli';
import { type TemporalClientTls, temporalCliConnectionArgs } from './temporal-tls';

const CLI_TIMEOUT_MS = 15_000;
const SECONDS_PER_HOUR = 3_600;

/** Sets the namespace retention and reads it back, failing unless the server reports the new value. */
export async function setNamespaceRetention(cli: string, address: string, namespace: string, retentionHours: number, tls?: TemporalClientTls): Promise<void> {
  const common = [...temporalCliConnectionArgs(address, tls), '--namespace', namespace, '--command-timeout', '10s'];
  const update = await runCommand(cli, ['operator', 'namespace', 'update', ...common, '--retention', `${retentionHours}h`], {
    env: temporalCliEnv(),
    timeoutMs: CLI_TIMEOUT_MS,
  });
  if (update.code !== 0) throw new TemporalNamespaceError(namespace, retentionHours, update.tail(5) || `exit code ${update.code}`);

  const describe = await runCommand(cli, ['operator', 'namespace', 'describe', ...common, '--output', 'json'], {
    env: temporalCliEnv(),
    timeoutMs: CLI_TIMEOUT_MS,
  });
  if (describe.code !== 0) throw new TemporalNamespaceError(namespace, retentionHours, `describe failed: ${describe.tail(5)}`);
  const actualSeconds = retentionSeconds(describe.stdout);
  if (actualSeconds !== retentionHours * SECONDS_PER_HOUR) {
    throw new TemporalNamespaceError(namespace, retentionHours,
      `the server reports a retention of ${actualSeconds ?? 'nothing'} s instead of ${retentionHours * SECONDS_PER_HOUR} s`);
  }
}

// The CLI prints the protobuf JSON form, where a duration is a string like "604800s".
function retentionSeconds(describeJson: string): number | undefined {
  try {
    const parsed = JSON.parse(describeJson) as { config?: { workflowExecutionRetentionTtl?: string } };
    const ttl = parsed.config?.workflowExecutionRetentionTtl;
    return ttl && /^\d+(\.\d+)?s$/.test(ttl) ? Number(ttl.slice(0, -1)) : undefined;
  } catch {
    return undefined;
  }
}
