/** A build worker thread: runs the tasks the pool sends, one at a time, and replies with plain data. */
import { parentPort } from 'node:worker_threads'
import { createTaskRunner, type Task } from './tasks.ts'

const run = createTaskRunner()

parentPort!.on('message', (task: Task) => {
  if (task.kind === 'cite-setup') {
    void run(task)
    return
  }
  run(task).then(
    (value) => parentPort!.postMessage({ ok: true, value }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error }),
  )
})
