// What `kta doctor` reports: one result per check, and the pure text form of the report. Kept apart
// from the checks so tests (and other tools) can format or inspect a report without any service.

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  /** What the check found, with the IDs, names and numbers. */
  readonly message: string;
  /** How to fix it; set for warn and fail. */
  readonly fix?: string;
  readonly details?: Record<string, unknown>;
}

export interface DoctorReport {
  /** False when any check failed; warnings do not make a deployment unhealthy. */
  readonly ok: boolean;
  readonly checks: CheckResult[];
}

export const toReport = (checks: CheckResult[]): DoctorReport => ({ ok: checks.every((c) => c.status !== 'fail'), checks });

export const reportExitCode = (report: DoctorReport): number => (report.ok ? 0 : 1);

/** One line per check: status, name, what was found, and for warn/fail the fix. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.map((c) => {
    const fix = c.status !== 'ok' && c.fix ? ` -> fix: ${c.fix}` : '';
    return `${c.status.toUpperCase().padEnd(4)}  ${c.name.padEnd(width)}  ${c.message}${fix}`;
  });
  const counts = (['ok', 'warn', 'fail'] as const).map((s) => `${report.checks.filter((c) => c.status === s).length} ${s}`).join(', ');
  lines.push(`${report.ok ? 'healthy' : 'NOT healthy'}: ${counts}`);
  return lines.join('\n');
}
