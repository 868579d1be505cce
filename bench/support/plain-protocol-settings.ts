// What the plain protocol's consumer processes are started with, and its dedup table; apart from
// plain-protocol-consumer.ts, which runs as soon as it is imported.

export interface PlainProtocolSettings {
  readonly brokers: string[];
  readonly groupId: string;
  readonly topic: string;
  readonly llmBaseUrl: string;
  readonly databaseUrl: string;
}

export const PLAIN_DEDUP_DDL = `CREATE TABLE IF NOT EXISTS plain_processed (
  record_key   text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
)`;
