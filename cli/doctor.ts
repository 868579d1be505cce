// `kta doctor`: prints the doctor's report (ops/doctor/doctor.ts), one line per check or one JSON
// object with --json. Exit code 1 when a check failed; warnings do not fail.
import { runDoctor } from '../ops/doctor/doctor';
import { reportExitCode } from '../ops/doctor/report';
import { formatReport } from './doctor-format';

// After the report, connections a timed-out check left half-open must not keep the command alive.
const EXIT_GRACE_MS = 2_000;

export async function doctorCommand(opts: { json?: boolean; timeout?: number }): Promise<void> {
  const report = await runDoctor(process.env, { timeoutMs: opts.timeout });
  const code = reportExitCode(report);
  process.exitCode = code;
  const output = opts.json ? JSON.stringify(report) : formatReport(report);
  process.stdout.write(`${output}\n`, () => setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref());
}
