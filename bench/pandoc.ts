/**
 * The same manuscript in pandoc's Markdown, for a side-by-side run: front
 * matter dropped, the title and numbered section lines made headings,
 * `[citation N]` markers replaced by the `[@key, p. N]` their map gives,
 * every paragraph separated by a blank line. Pandoc is a peer to measure
 * against, never a dependency: this runs only when `pandoc` is installed.
 */
import { execFileSync } from 'node:child_process'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'

/** The pandoc on PATH and its version, or undefined. */
export function findPandoc(): { version: string } | undefined {
  try {
    return { version: execFileSync('pandoc', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim() }
  } catch {
    return undefined
  }
}

type MapEntry = string | { key: string; locator?: string }

/** Write the corpus in `book` as pandoc Markdown into `target`; returns the chapter files in order and the title. */
export async function toPandoc(book: string, target: string): Promise<{ chapters: string[]; title: string }> {
  await mkdir(target, { recursive: true })
  await copyFile(path.join(book, 'references.json'), path.join(target, 'references.json'))
  const title = String((parse(await readFile(path.join(book, 'book.yaml'), 'utf8')) as { title: string }).title)
  const chapters: string[] = []
  for (const name of (await readdir(book)).filter((file) => /^\d+-.*\.md$/.test(file)).sort()) {
    const text = await readFile(path.join(book, name), 'utf8')
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text)
    const meta = (front ? parse(front[1]!) : {}) as { title?: string; citations?: Record<string, MapEntry> }
    const body = front ? text.slice(front[0].length) : text
    const cite = (marker: string) => {
      const entry = meta.citations?.[marker]
      if (!entry) return `[citation ${marker}]`
      return typeof entry === 'string' ? `[@${entry}]` : `[@${entry.key}${entry.locator ? `, p. ${entry.locator}` : ''}]`
    }
    const blocks = body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (/^\d+\.\d+ /.test(line) ? `## ${line}` : line.replace(/\[citation (\d+)\]/g, (_, marker: string) => cite(marker))))
    await writeFile(path.join(target, name), [`# ${meta.title ?? name}`, ...blocks].join('\n\n') + '\n')
    chapters.push(name)
  }
  return { chapters, title }
}
