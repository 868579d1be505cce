// What the doctor reports: one result per check. Kept apart from the checks so tests (and other tools)
// can inspect a report without any service; its text form is cli/doctor-format.ts.

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
