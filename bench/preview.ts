/**
 * Edit-to-reload latency of `quire preview`: a `quire preview` process on
 * the book, a listener on its server-sent events (what an open page hears),
 * then for each run a chapter is rewritten and the clock runs from the
 * moment the write returns to the `reload` event, and on to the moment the
 * rebuilt page has been fetched with the new text in it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { get } from 'node:http'
import path from 'node:path'

export interface Latency {
  /** Save → `reload` event, ms. */
  event: number[]
  /** Save → the new page fetched, ms. */
  page: number[]
}

/** Start `quire preview ARGS` in `cwd` and resolve with the process and the URL it serves. */
export async function spawnPreview(quire: string, args: string[], cwd: string): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [quire, 'preview', '--port', '0', ...args], { cwd, env: { ...process.env, CI: 'true' } })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk))
  const url = await previewUrl(child, () => stderr, 'quire preview')
  return { child, url, stderr: () => stderr }
}

/** The URL a starting preview prints on stdout; rejects if `child` exits first. */
export function previewUrl(child: { stdout: NodeJS.ReadableStream | null; once(event: 'exit', listener: (code: number | null) => void): unknown }, stderr: () => string, name: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk
      const found = /previewing at (http:\/\/\S+)/.exec(stdout)
      if (found) resolve(found[1]!)
    })
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${stderr()}`)))
  })
}

export async function previewLatency(options: { quire: string; cwd: string; book: string; out: string; chapter: string; runs: number; edit: (run: number) => Promise<string> }): Promise<Latency> {
  const { child, url } = await spawnPreview(options.quire, [options.book, '--out', options.out], options.cwd)
  try {
    const waiting: ((event: string) => void)[] = []
    const events = await new Promise<import('node:http').IncomingMessage>((resolve) => get(`${url}__quire/events`, resolve))
    let buffer = ''
    events.on('data', (chunk: Buffer) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const name = /^event: (\S+)/m.exec(buffer.slice(0, end))?.[1] ?? ''
        buffer = buffer.slice(end + 2)
        waiting.shift()?.(name)
      }
    })
    const next = () => new Promise<string>((resolve) => waiting.push(resolve))
    await next() // hello
    const latency: Latency = { event: [], page: [] }
    const page = `${url}${path.basename(options.chapter, '.md')}.html`
    for (let run = 0; run < options.runs; run++) {
      const marker = await options.edit(run)
      const saved = performance.now()
      const event = await next()
      if (event !== 'reload') throw new Error(`preview answered the edit with "${event}"`)
      latency.event.push(performance.now() - saved)
      const html = await (await fetch(page)).text()
      if (!html.includes(marker)) throw new Error('the reloaded page lacks the edit')
      latency.page.push(performance.now() - saved)
    }
    events.destroy()
    return latency
  } finally {
    child.kill('SIGTERM')
  }
}
