// One write to a sink table, with PostgreSQL's refusals sorted: a data error (the value can never be
// stored: a NUL character in text, a key too large to index) becomes SinkDataError, named by table,
// row key and the fields at fault; anything else (connection refused, the server restarting, a
// deadlock) is rethrown as it is and stays retryable. Activities turn SinkDataError into a
// non-retryable failure (failForGoodOnDataError), so a bad value ends its run instead of retrying forever.
import { ApplicationFailure } from '@temporalio/activity';
import { SinkDataError } from '../../errors';
import { dataErrorCondition, dataErrorSqlstate } from '../../lib/pg-errors';
import { printable } from '../../core/printable';

const MAX_DEPTH = 8;

/** Whether a NUL character (U+0000) is in the value or any string nested in it. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
}

/**
 * The fields a refusal is about: those holding a NUL (the common case), else the column PostgreSQL
 * names. Never PostgreSQL's own message: some quote the refused value (22P02 does).
 */
function describe(err: unknown, sqlstate: string, fields: Record<string, unknown>): { fields: string[]; problem: string } {
  const condition = dataErrorCondition(sqlstate);
  const withNul = Object.keys(fields).filter((name) => holdsNul(fields[name]));
  if (withNul.length) {
    return {
      fields: withNul,
      problem: `${withNul.join(', ')} ${withNul.length === 1 ? 'holds' : 'hold'} a NUL character (U+0000), which PostgreSQL text and jsonb cannot store (${condition})`,
    };
  }
  const { column, constraint } = err as { column?: string; constraint?: string };
  const named = column ? [column] : [];
  return { fields: named, problem: `${condition}${column ? ` in column ${column}` : ''}${constraint ? ` (constraint ${constraint})` : ''}` };
}

/**
 * Runs `write` (one statement or transaction against `table`); `key` names the row (printed escaped),
 * `fields` are the values written by column name, searched for what PostgreSQL refused.
 */
export async function sinkWrite<T>(table: string, key: string, fields: Record<string, unknown>, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const sqlstate = dataErrorSqlstate(err);
    if (!sqlstate) throw err;
    const found = describe(err, sqlstate, fields);
    throw new SinkDataError(table, printable(key, 200), sqlstate, found.fields, found.problem, { cause: err });
  }
}

/** In an activity: a SinkDataError fails the attempt for good; other errors pass through (retried). */
export async function failForGoodOnDataError<T>(activity: () => Promise<T>): Promise<T> {
  try {
    return await activity();
  } catch (err) {
    if (err instanceof SinkDataError) {
      throw ApplicationFailure.create({
        type: err.name,
        message: err.message,
        nonRetryable: true,
        details: [{ table: err.table, key: err.key, sqlstate: err.sqlstate, fields: err.fields }],
        // No cause: PostgreSQL's own error can quote the refused value (22P02 does), and the failure is
        // stored in history and dead letters; the message already carries its SQLSTATE and condition.
      });
    }
    throw err;
  }
}
