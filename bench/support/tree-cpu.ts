// CPU seconds of a process and everything it forked, from /proc: its own utime+stime and that of every
// descendant still alive, each with the cutime+cstime of the children it already reaped. PostgreSQL forks a
// backend per connection (and reaps it when the connection ends); the `kta` services run under node
// with tsx; reading the tree counts all of it. A difference of two readings is the CPU spent between
// them: a child alive at the first reading and reaped by the second moves from "live" to "reaped".
import { readdirSync, readFileSync } from 'node:fs';

// Linux reports these fields in clock ticks; 100 per second on every common kernel config.
const CLOCK_TICKS_PER_S = 100;

interface Stat {
  readonly ppid: number;
  readonly ownTicks: number;
  readonly reapedChildrenTicks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    return { ppid: Number(f[1]), ownTicks: Number(f[11]) + Number(f[12]), reapedChildrenTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

/** One pass over /proc: every process with its parent and CPU ticks. */
function snapshot(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) all.set(Number(name), stat);
  }
  return all;
}

/** CPU seconds so far of each named process tree (NaN for a pid that is not running). */
export function treeCpuSeconds(roots: Record<string, number | undefined>): Record<string, number> {
  const all = snapshot();
  const children = new Map<number, number[]>();
  for (const [pid, stat] of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  const out: Record<string, number> = {};
  for (const [name, root] of Object.entries(roots)) {
    const rootStat = root === undefined ? undefined : all.get(root);
    if (root === undefined || !rootStat) {
      out[name] = Number.NaN;
      continue;
    }
    let ticks = 0;
    const queue = [root];
    while (queue.length) {
      const pid = queue.pop()!;
      const stat = all.get(pid);
      // A live process's reaped children (a PostgreSQL backend whose connection closed) are in its cutime.
      ticks += (stat?.ownTicks ?? 0) + (stat?.reapedChildrenTicks ?? 0);
      queue.push(...(children.get(pid) ?? []));
    }
    out[name] = ticks / CLOCK_TICKS_PER_S;
  }
  return out;
}

/** CPU seconds each tree spent between two readings. */
export function cpuBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - (before[k] ?? Number.NaN)) * 100) / 100]));
}
