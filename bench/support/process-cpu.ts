// CPU time of a process (user + system) from /proc, to see where a 2-core machine spends a bench:
// in the bridge, the Temporal server, or the bench's own baseline loop.
import { readFileSync } from 'node:fs';

// Linux reports utime and stime in clock ticks; 100 per second on every common kernel config.
const CLOCK_TICKS_PER_S = 100;

/** CPU milliseconds used so far by `pid` (its threads included), or NaN where /proc is unavailable. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** CPU milliseconds of the whole machine (all cores, busy time only) so far, from /proc/stat. */
export function machineBusyCpuMs(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
    const busyTicks = cpu.reduce((a, b) => a + b, 0) - cpu[3] - cpu[4];
    return (busyTicks * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}
