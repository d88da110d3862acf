/**
 * A pool that spreads a build's tasks over the machine's cores: worker
 * threads plus the main thread itself, which would otherwise sit waiting
 * (and which has its processor ready while a worker is still starting).
 * Workers start on the first task and keep their processors; each runner
 * takes one task at a time from a shared queue, so a long chapter does not
 * hold up the rest.
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { createTaskRunner, type Task, type TaskResult } from './tasks.ts'

export interface WorkerPool {
  /** Tasks run at once: the workers and the main thread. */
  readonly size: number
  /** Run `task` on the next free runner. */
  run<K extends Task['kind']>(task: Extract<Task, { kind: K }>): Promise<TaskResult<K>>
  /** Send `task` to every runner, ahead of the tasks queued after it (a setup, such as the citation style). */
  broadcast(task: Task): void
  close(): Promise<void>
}

/** Threads worth using for `jobs` tasks: one per core, at most one per task. */
export function poolSize(jobs: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, jobs))
}

type Reply = { ok: true; value: unknown } | { ok: false; error: unknown }

interface Job {
  task: Task
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

interface Runner {
  job?: Job | undefined
  send(task: Task): void
  stop(): Promise<unknown>
}

// Compiled (dist/, where this code may sit in a shared chunk one folder down), a worker starts on
// dist/parallel/worker.js itself; from the sources, on an entry that registers tsx first.
const ENTRY = new URL(import.meta.url.endsWith('.js') ? '../parallel/worker.js' : './worker-entry.js', import.meta.url)

/** A pool running `size` tasks at once: the main thread and `size - 1` worker threads. */
export function createPool(size: number): WorkerPool {
  const queue: Job[] = []
  const runners: Runner[] = []
  const broadcasts: Task[] = []
  let closed = false
  // After a worker fails to start or dies, the rest of the work stays on the threads that remain.
  let broken = false

  const finish = (runner: Runner, reply: Reply) => {
    const job = runner.job
    runner.job = undefined
    if (job) {
      if (reply.ok) job.resolve(reply.value)
      else job.reject(reply.error)
    }
    next(runner)
  }

  const next = (runner: Runner) => {
    const job = queue.shift()
    if (!job) return
    runner.job = job
    runner.send(job.task)
  }

  // The main thread's runner yields to the event loop between tasks, so the workers' replies are heard.
  const runLocal = createTaskRunner()
  const local: Runner = {
    send(task) {
      setImmediate(() => {
        runLocal(task).then(
          (value) => finish(local, { ok: true, value }),
          (error: unknown) => finish(local, { ok: false, error }),
        )
      })
    },
    stop: async () => undefined,
  }
  runners.push(local)

  const startWorker = (): Runner => {
    // No inherited flags (the parent's `--import tsx`, `--cpu-prof`): the entry registers tsx itself.
    // The main thread's stack size, so a deep chapter parses, or fails to, the same on either.
    const worker = new Worker(ENTRY, { execArgv: [], resourceLimits: { stackSizeMb: 1 } })
    const runner: Runner = { send: (task) => worker.postMessage(task), stop: () => worker.terminate() }
    for (const task of broadcasts) worker.postMessage(task)
    worker.on('message', (reply: Reply) => finish(runner, reply))
    // A worker that dies (out of memory, a crash) hands its task back: the main thread does it,
    // as a one-thread build would have.
    const fail = () => {
      if (!runners.includes(runner)) return
      runners.splice(runners.indexOf(runner), 1)
      broken = true
      const job = runner.job
      runner.job = undefined
      if (job) queue.unshift(job)
      if (!local.job) next(local)
    }
    worker.on('error', fail)
    worker.on('exit', () => {
      if (!closed) fail()
    })
    runners.push(runner)
    return runner
  }

  return {
    size,
    run(task) {
      if (closed) return Promise.reject(new Error('The worker pool is closed'))
      return new Promise((resolve, reject) => {
        queue.push({ task, resolve: resolve as (value: unknown) => void, reject })
        const idle = runners.find((runner) => !runner.job)
        if (idle) next(idle)
        else if (!broken && runners.length < size) {
          try {
            next(startWorker())
          } catch {
            // The task stays queued for the main thread.
            broken = true
          }
        }
      })
    },
    broadcast(task) {
      broadcasts.push(task)
      void runLocal(task)
      for (const runner of runners) if (runner !== local) runner.send(task)
    },
    async close() {
      closed = true
      const stopped = new Error('The worker pool was closed')
      for (const job of queue.splice(0)) job.reject(stopped)
      for (const runner of runners) runner.job?.reject(stopped)
      await Promise.all(runners.map((runner) => runner.stop()))
    },
  }
}
