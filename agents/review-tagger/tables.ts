// The review index: one tag set per review ID (agents/review-tagger/review-index.ts writes it).
export const REVIEW_TAGGER_TABLES = [
  `CREATE TABLE IF NOT EXISTS review_tags (
    review_id        text PRIMARY KEY,
    tags             jsonb NOT NULL,
    sentiment        text NOT NULL,
    model            text NOT NULL,
    workflow_id      text NOT NULL,
    idempotency_key  text NOT NULL,
    source_topic     text NOT NULL,
    source_partition integer NOT NULL,
    source_offset    bigint NOT NULL,
    writes           integer NOT NULL DEFAULT 1,
    updated_at       timestamptz NOT NULL DEFAULT now()
  )`,
];
