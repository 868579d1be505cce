// PostgreSQL error codes the project reads.

/** The table does not exist (yet): no bridge or worker has created it against this database. */
export const isUndefinedTable = (err: unknown): boolean => (err as { code?: string } | undefined)?.code === '42P01';
