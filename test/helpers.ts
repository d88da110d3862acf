/** Shared test helpers: build a manuscript folder in memory, run the pipeline, run the CLI. */
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { analyze } from '../src/build.ts'
import { toDiagnostics } from '../src/diagnostics/report.ts'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const stringifier = unified().use(rehypeStringify)

/** A 1×1 GIF, for manuscripts that need a real image. */
export const DOT_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64')

/** Write `files` (path → text or bytes) into a fresh temporary folder and return its path. */
export async function manuscript(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-test-'))
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), text)
  }
  return dir
}

/** Run load → parse → html on a manuscript folder; chapter bodies as HTML and diagnostics as lines. */
export async function run(dir: string) {
  const result = await analyze({ manuscript: dir, cwd: dir })
  const html = result.book.chapters.map((chapter) => stringifier.stringify(chapter.hast).trim())
  const messages = toDiagnostics(result.files).map(
    (d) => `${d.file}:${d.line}:${d.column}${d.endLine ? `-${d.endLine}:${d.endColumn}` : ''}: ${d.severity} ${d.ruleId}: ${d.message}`,
  )
  return { ...result, html, messages }
}

/** Run the quire CLI; resolves with the exit code and output (never rejects on a non-zero exit). */
export function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/quire.js'), ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, CI: 'true', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
}
