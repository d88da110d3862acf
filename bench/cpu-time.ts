/**
 * CPU time of a browser and everything it started, read from Linux's
 * /proc: on a machine other builds share, a far steadier measure of what a
 * print costs than wall time.
 */
import { readFileSync, readdirSync } from 'node:fs'

/**
 * CPU milliseconds used so far by a process and its descendants (Linux:
 * /proc). A child that has exited counts in its parent's cutime and cstime,
 * so the print compositor, started for each print, is counted too. On a
 * shared machine this moves much less than wall time does.
 */
export function cpuTime(root: number): number {
  const stats = new Map<number, { parent: number; ticks: number }>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let text: string
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue
    }
    // Fields after the command, which may hold spaces: state, ppid … utime (14), stime, cutime, cstime.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    stats.set(Number(name), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) })
  }
  let total = 0
  for (const [pid, stat] of stats) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = stats.get(at)?.parent) {
      if (at === root) {
        total += stat.ticks
        break
      }
    }
  }
  // USER_HZ is 100 on every Linux Node runs on.
  return total * 10
}
