// Travel-request records for the bookTrip saga's tests, and reading a run's state.
import type { Client } from '@temporalio/client';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { AGENT_STATUS } from '../../workflows/search-attributes';
import type { TravelRequest } from '../../agents/trip-booking/record';
import type { Scenario } from './scenario';
import { waitFor } from './wait-for';

export async function produceTravelRequests(s: Scenario, count: number, opts: { cardToken?: string; startAt?: number } = {}): Promise<TravelRequest[]> {
  const trips = Array.from({ length: count }, (_, i): TravelRequest => {
    const n = (opts.startAt ?? 0) + i;
    return {
      requestId: `${s.topic}-trip${n}`,
      traveler: `Traveller ${n}`,
      request: `Trip ${n}: fly from Paris to New York on 2026-05-0${(n % 9) + 1}, and a hotel near Central Park for ${(n % 3) + 2} nights.`,
      cardToken: opts.cardToken ?? 'tok_visa',
    };
  });
  await s.kafka.produce(s.topic, trips.map((t) => ({ key: t.requestId, value: JSON.stringify(t) })));
  return trips;
}

export async function waitForRunStatus(s: Scenario, status: 'COMPLETED' | 'FAILED', count = 1, timeoutMs = 90_000) {
  return waitFor(() => s.runs(), (runs) => runs.filter((r) => r.status.name === status).length >= count, {
    timeoutMs,
    intervalMs: 500,
    message: `${count} ${status} runs for topic ${s.topic} (logs in ${s.logDir})`,
  });
}

export async function agentStatus(client: Client, workflowId: string): Promise<string | undefined> {
  const desc = await client.workflow.getHandle(workflowId).describe();
  return desc.typedSearchAttributes.get(AGENT_STATUS);
}

/** The run's current details (its summary in Temporal UI), read through the SDK's metadata query. */
export async function currentDetails(client: Client, workflowId: string): Promise<string> {
  const meta = await client.workflow.getHandle(workflowId).query(workflowMetadataQuery);
  return meta.currentDetails ?? '';
}

/** Every AgentStatus the run set, in history order. */
export async function agentStatusHistory(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const converter = client.options.loadedDataConverter.payloadConverter;
  return (history.events ?? []).flatMap((e) => {
    const field = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.AgentStatus;
    return field ? [String(converter.fromPayload(field))] : [];
  });
}
