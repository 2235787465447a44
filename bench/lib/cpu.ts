import { readFileSync } from 'node:fs';

/**
 * CPU time a process has used so far (user + system), in ms, from the kernel (/proc/<pid>/stat fields 14 and 15,
 * in clock ticks of 10 ms on Linux: https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html). Unlike latency, it
 * hardly moves with the machine's load, so a bench can report it beside latencies taken on a busy machine.
 */
export function cpuMs(pid: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
