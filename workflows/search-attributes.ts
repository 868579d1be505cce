// The custom search attributes every run carries. The local stack registers them at start-up
// (dev/stack) with these exact names and types; change them in both places or not at all.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const KAFKA_TOPIC = defineSearchAttributeKey('KafkaTopic', SearchAttributeType.KEYWORD);
export const KAFKA_PARTITION = defineSearchAttributeKey('KafkaPartition', SearchAttributeType.INT);
export const KAFKA_OFFSET = defineSearchAttributeKey('KafkaOffset', SearchAttributeType.INT);
export const KAFKA_KEY = defineSearchAttributeKey('KafkaKey', SearchAttributeType.KEYWORD);
export const AGENT_STATUS = defineSearchAttributeKey('AgentStatus', SearchAttributeType.KEYWORD);

export const AgentStatus = {
  Running: 'Running',
  AwaitingReview: 'AwaitingReview',
  NeedsReview: 'NeedsReview',
  Compensating: 'Compensating',
  Compensated: 'Compensated',
  Completed: 'Completed',
  Failed: 'Failed',
} as const;
export type AgentStatus = (typeof AgentStatus)[keyof typeof AgentStatus];
