/**
 * Run a command as a fresh process and measure it as the author lives it:
 * wall time, the stage times Quire prints (`quire: parse (3031 ms)`), and
 * peak memory, sampled from /proc every 50 ms: the Node process's resident
 * set (with its worker threads), and the whole tree's proportional set
 * (Node plus the Chromium processes it starts; PSS, because summing their
 * RSS would count the pages they share once per process).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface Measured {
  ms: number
  /** Peak RSS of the Node process, in MiB (0 where /proc is missing). */
  peakMiB: number
  /** Peak PSS of the process and its descendants, in MiB. */
  treeMiB: number
  /** Stage durations from Quire's progress lines, in ms. */
  stages: Record<string, number>
  code: number
  stdout: string
  stderr: string
}

/** `root`'s RSS and the sum of PSS over it and every process below it, in KiB. */
function sampleMemory(root: number): { rss: number; tree: number } {
  const parents = new Map<number, number>()
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return { rss: 0, tree: 0 }
  }
  for (const pid of pids) {
    try {
      // The parent pid is the 4th field, after the command in parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      parents.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current: number | undefined = pid, hops = 0; current && hops < 64; current = parents.get(current), hops++) if (current === root) return true
    return false
  }
  let tree = 0
  let rss = 0
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue
    try {
      tree += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
      if (pid === root) rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      // Gone.
    }
  }
  return { rss, tree }
}

/** Quire's plain progress lines as stage → ms: `load`, `parse`, `cite`, `html`, and `write <file>` keyed by its extension or `html`. */
export function stageTimes(stderr: string): Record<string, number> {
  const stages: Record<string, number> = {}
  for (const match of stderr.matchAll(/^quire: (load|parse|cite|html|write (\S+)) \((\d+) ms\)$/gm)) {
    const key = match[2] ? (/\.(epub|pdf)$/.exec(match[2])?.[1] ?? 'html-edition') : match[1]!
    stages[key] = (stages[key] ?? 0) + Number(match[3])
  }
  return stages
}

export function measure(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, CI: 'true', ...options.env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk))
    let peak = 0
    let tree = 0
    const sample = () => {
      if (!child.pid) return
      const memory = sampleMemory(child.pid)
      peak = Math.max(peak, memory.rss)
      tree = Math.max(tree, memory.tree)
    }
    const timer = setInterval(sample, 50)
    child.on('error', (error) => {
      clearInterval(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearInterval(timer)
      resolve({ ms: performance.now() - started, peakMiB: peak / 1024, treeMiB: tree / 1024, stages: stageTimes(stderr), code: code ?? 1, stdout, stderr })
    })
  })
}

export const median = (list: number[]): number => {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
