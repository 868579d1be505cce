// PostgreSQL error codes the project reads.

const sqlstateOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** The table does not exist (yet): no bridge or worker has created it against this database. */
export const isUndefinedTable = (err: unknown): boolean => sqlstateOf(err) === '42P01';

/**
 * The SQLSTATE when PostgreSQL refused the value itself, so the same write can never succeed: class 22
 * (data exception: 22021 a NUL or bad byte in text, 22P05 \u0000 in jsonb, 22001 too long, 22003 out
 * of range, 22P02 bad syntax), 23 (integrity constraint violated by the row) and 54 (program limit
 * exceeded: a key too large to index). Anything else (connection refused, admin shutdown, deadlock,
 * serialization failure, too many connections) passes and stays retryable.
 */
export function dataErrorSqlstate(err: unknown): string | undefined {
  const code = sqlstateOf(err);
  return code && ['22', '23', '54'].includes(code.slice(0, 2)) ? code : undefined;
}
