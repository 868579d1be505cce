// PostgreSQL error codes the project reads.

const sqlstateOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** The table does not exist (yet): no bridge or worker has created it against this database. */
export const isUndefinedTable = (err: unknown): boolean => sqlstateOf(err) === '42P01';

/**
 * PostgreSQL could not be reached or ended the connection (a restart, a failover, a network cut): class
 * 08 (connection exception), 57P01-57P03 (shut down by the administrator, crash, cannot connect now),
 * the socket errors of a server that is not listening, and node-postgres' own "Connection terminated".
 * The same query can succeed once the server is back.
 */
export function isConnectionLoss(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (code.startsWith('08') || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))) return true;
  return err instanceof Error && /^Connection terminated/.test(err.message);
}

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

/** What a data-error SQLSTATE means, in words that never quote the value (PostgreSQL's messages can). */
const DATA_CONDITIONS: Record<string, string> = {
  '22001': 'value too long for its column',
  '22003': 'number out of range',
  '22021': 'invalid byte sequence: a 0x00 byte or bad UTF-8 in text',
  '22P02': 'invalid text representation',
  '22P05': 'untranslatable character: \\u0000 in jsonb',
  '23502': 'a required value is missing',
  '23503': 'a referenced row does not exist',
  '23505': 'a unique key is taken',
  '23514': 'a check constraint is violated',
  '54000': 'value too large for an index',
};

export const dataErrorCondition = (sqlstate: string): string =>
  DATA_CONDITIONS[sqlstate] ?? (sqlstate.startsWith('23') ? 'integrity constraint violated' : sqlstate.startsWith('54') ? 'program limit exceeded' : 'data exception');
