// The seed's protocol written plainly, as a user would write it instead of adopting this project: a
// kafkajs `eachMessage` consumer with PostgreSQL as the dedup store, one process per group member
// (end-to-end.ts spawns them with `node --import tsx`). Per record:
//   1. check: is there a dedup row for `topic-partition-offset`? then skip to the commit;
//   2. invoke: the model, through the OpenAI SDK against the same simulator and prompt as tagReview;
//   3. persist: the same index upsert tagReview makes (upsertReviewTagsRow) and the dedup row, in one
//      transaction, so a crash between them cannot leave one without the other;
//   4. commit: offset + 1.
// A crash after 2 and before 3 calls the model again for that record on redelivery: that is the
// protocol's known gap, which the project closes by recording the model's answer in history.
// Nothing here is the project's code path: it is the baseline the project is measured against.
import { toOpenAiMessages } from '../../activities/llm/openai-provider';
import { Kafka, logLevel } from 'kafkajs';
import OpenAI from 'openai';
import pg from 'pg';
import { z } from 'zod';
import { reviewTagsSchema } from '../../agents/review-tagger/output';
import { reviewTagsPrompt } from '../../agents/review-tagger/prompts';
import { reviewRecordSchema } from '../../agents/review-tagger/record';
import { upsertReviewTagsRow } from '../../agents/review-tagger/review-index';
import type { PlainProtocolSettings } from './plain-protocol-settings';

const RESPONSE_SCHEMA = z.toJSONSchema(reviewTagsSchema) as Record<string, unknown>;

async function main(settings: PlainProtocolSettings): Promise<void> {
  const llm = new OpenAI({ apiKey: 'simulator', baseURL: settings.llmBaseUrl, maxRetries: 2 });
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2 });
  pool.on('error', (err) => console.error(`pg pool: ${err.message}`));
  const kafka = new Kafka({ clientId: 'plain-protocol', brokers: settings.brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: settings.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: settings.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const key = `${topic}-${partition}-${message.offset}`;
      const seen = await pool.query('SELECT 1 FROM plain_processed WHERE record_key = $1', [key]);
      if (!seen.rowCount) {
        const review = reviewRecordSchema.parse(JSON.parse(message.value?.toString('utf8') ?? ''));
        const response = await llm.chat.completions.create({
          model: 'llm-simulator',
          messages: toOpenAiMessages(reviewTagsPrompt(review)),
          response_format: { type: 'json_schema', json_schema: { name: 'review_tags', strict: true, schema: RESPONSE_SCHEMA } },
        });
        const { tags, sentiment } = reviewTagsSchema.parse(JSON.parse(response.choices[0]?.message?.content ?? ''));
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          // upsertReviewTagsRow takes a pool; a client has the same query method.
          await upsertReviewTagsRow(client as unknown as pg.Pool, {
            idempotencyKey: `${key}/upsert-tags`, reviewId: review.reviewId, tags, sentiment, model: response.model,
            workflowId: key,
            // Only topic, partition and offset reach the row; the rest of RecordSource is the run's.
            source: { topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, timestamp: message.timestamp, recordHash: '' },
          });
          await client.query('INSERT INTO plain_processed (record_key) VALUES ($1) ON CONFLICT DO NOTHING', [key]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      }
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as PlainProtocolSettings).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
