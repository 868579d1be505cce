// What the shadow runs: the records of the offset range, read as the audit reads them, routed by the
// bridge's own router; a record that cannot become a shadow run is reported with its reason.
import { recordSpecs } from '../../agents/record-specs';
import { createRouter, type KafkaRecord } from '../../bridge/route';
import type { Config } from '../../config';
import { workflowIdFor } from '../../core/workflow-id';
import { openAuditKafka } from '../kafka-records';
import type { ShadowOutcome } from './report';
import type { Planned, ShadowOptions } from './shadow-one';

export async function readRecords(config: Config, opts: ShadowOptions, notes: string[]): Promise<{ records: KafkaRecord[]; from: number; to: number }> {
  const kafka = await openAuditKafka(config.kafka);
  try {
    const p = (await kafka.partitionOffsets(opts.topic, config.kafka.groupId)).find((o) => o.partition === opts.partition);
    if (!p) throw new Error(`topic ${opts.topic} has no partition ${opts.partition}; give one the topic has`);
    const from = Math.max(opts.fromOffset, p.earliest);
    const to = Math.min(opts.toOffset + 1, p.end);
    if (from > opts.fromOffset) notes.push(`offsets below ${p.earliest} are no longer retained`);
    if (to < opts.toOffset + 1) notes.push(`the log ends at ${p.end - 1}; offsets past it are not shadowed`);
    const records: KafkaRecord[] = [];
    await kafka.readRanges(opts.topic, [{ partition: opts.partition, from, to }], async (_partition, page) => void records.push(...page));
    return { records, from, to: to - 1 };
  } finally {
    await kafka.close();
  }
}

/** Routes each record as the bridge would; what cannot become a shadow run is reported with its reason. */
export function plan(config: Config, records: KafkaRecord[]): { planned: Planned[]; skipped: ShadowOutcome[] } {
  const router = createRouter(config.routes, config.bridge, recordSpecs());
  const planned: Planned[] = [];
  const skipped: ShadowOutcome[] = [];
  for (const record of records) {
    const outcome = router(record);
    const at = { partition: record.partition, offset: record.offset };
    if (outcome.kind === 'dead-letter') {
      skipped.push({ ...at, originalId: workflowIdFor(record.topic, record.partition, record.offset), status: 'not-shadowed', reason: `the bridge dead-letters it (${outcome.class} ${outcome.reasonCode}: ${outcome.reason})` });
      continue;
    }
    for (const start of outcome.starts) {
      if (start.entityId) {
        skipped.push({ ...at, originalId: start.workflowId, workflowType: start.route.workflowType, status: 'not-shadowed', reason: `per-key route: the record is a signal to entity run ${start.entityId}, which shadow does not drive` });
      } else {
        planned.push({ record, start });
      }
    }
  }
  return { planned, skipped };
}
