// `kta audit`: prints the audit's report (ops/audit/audit.ts), as text or one JSON object.
// Exit code 0: nothing missing; 1: offsets missing; 2: the audit could not run.
import { loadConfig } from '../config';
import { runAudit, type AuditOptions } from '../ops/audit/audit';
import type { AuditReport } from '../ops/audit/report';
import { formatReport } from './audit-format';

export async function auditCommand(opts: AuditOptions & { readonly json?: boolean }): Promise<void> {
  let report: AuditReport;
  try {
    report = await runAudit(loadConfig(), opts);
  } catch (err) {
    // Not a finding: the audit proved nothing, which must not read as "nothing missing" nor as "missing".
    console.error(`kta audit could not finish: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  console.log(opts.json ? JSON.stringify(report) : formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
}
