/**
 * Notice when the package runner that started Quire has gone. `npm exec
 * quire` and `npm run` start Quire through `sh -c`, and a SIGTERM sent to
 * npm reaches that shell, not Quire: the shell dies and Quire would go on
 * running, orphaned. A long-running command (`quire preview`) therefore
 * watches its parent and its parent's parent, and stops when either is gone.
 * Run directly (`quire preview`, `node bin/quire.js preview`), Quire gets its
 * signals itself and is not tied to its parent, so `nohup` keeps working.
 */
import { readFileSync } from 'node:fs'

/** How often the ancestors are looked at, ms. */
const INTERVAL = 250

/**
 * Call `onGone` once when the runner that launched this process exits
 * (nothing happens when no package runner launched it). Returns a function
 * that stops watching; the watch never keeps the process alive.
 */
export function watchLauncher(onGone: () => void, env: NodeJS.ProcessEnv = process.env): () => void {
  // npm, npx, yarn and pnpm all set npm_execpath for what they start.
  if (env.npm_execpath === undefined) return () => {}
  const started = ancestors()
  const timer = setInterval(() => {
    const now = ancestors()
    if (now.every((pid, index) => pid === started[index])) return
    clearInterval(timer)
    onGone()
  }, INTERVAL)
  timer.unref()
  return () => clearInterval(timer)
}

/** The parent's pid and, where /proc tells it, the grandparent's: an orphan is adopted by another process, so they change. */
function ancestors(): number[] {
  const parent = process.ppid
  const grandparent = parentOf(parent)
  return grandparent === undefined ? [parent] : [parent, grandparent]
}

function parentOf(pid: number): number | undefined {
  try {
    // `pid (comm) state ppid …`; comm may itself hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}
