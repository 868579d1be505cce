// The conversation agent's store: one row per turn, written by key (`entityId/offset-P-O`), and the
// entity's high-water mark per partition, updated in the same transaction so it survives the entity
// closing when idle.
import type { Pool } from 'pg';
import { failForGoodOnDataError, sinkWrite } from '../../activities/sinks/sink-write';

export interface ConversationTurn {
  readonly idempotencyKey: string;
  readonly entityId: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: string;
  readonly reply: string;
}

export function createConversationActivities({ pool }: { pool: Pool }) {
  return {
    async loadConversationHighWater({ entityId }: { entityId: string }): Promise<Record<string, string>> {
      const { rows } = await pool.query<{ partition: number; high_water: string }>('SELECT partition, high_water FROM conversation_offsets WHERE entity_id = $1', [entityId]);
      return Object.fromEntries(rows.map((r) => [String(r.partition), String(r.high_water)]));
    },

    /** A turn PostgreSQL cannot store (a NUL character in it) fails for good with SinkDataError. */
    async appendConversationTurn(t: ConversationTurn): Promise<void> {
      const fields = { idempotency_key: t.idempotencyKey, entity_id: t.entityId, message: t.message, reply: t.reply };
      await failForGoodOnDataError(() => sinkWrite('conversation_turns', `idempotency key ${t.idempotencyKey}`, fields, () => appendTurn(t)));
    },
  };

  async function appendTurn(t: ConversationTurn): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO conversation_turns (idempotency_key, entity_id, partition, "offset", message, reply) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [t.idempotencyKey, t.entityId, t.partition, t.offset, t.message, t.reply],
      );
      await client.query(
        `INSERT INTO conversation_offsets (entity_id, partition, high_water) VALUES ($1, $2, $3)
         ON CONFLICT (entity_id, partition) DO UPDATE SET high_water = GREATEST(conversation_offsets.high_water, EXCLUDED.high_water)`,
        [t.entityId, t.partition, t.offset],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;

export const CONVERSATION_TABLES = [
  `CREATE TABLE IF NOT EXISTS conversation_turns (
     idempotency_key text PRIMARY KEY,
     entity_id       text NOT NULL,
     partition       integer NOT NULL,
     "offset"        bigint NOT NULL,
     message         text NOT NULL,
     reply           text NOT NULL,
     created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
   )`,
  `CREATE TABLE IF NOT EXISTS conversation_offsets (
     entity_id  text NOT NULL,
     partition  integer NOT NULL,
     high_water bigint NOT NULL,
     PRIMARY KEY (entity_id, partition)
   )`,
];
