// The text form of the doctor's report, pure: tests format a report without any service.
import type { DoctorReport } from '../ops/doctor/report';

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
