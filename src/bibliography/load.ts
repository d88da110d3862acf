/**
 * Load the bibliography files `book.yaml` names, in CSL-JSON, CSL-YAML or
 * BibTeX/BibLaTeX, into one table of references keyed by citation key. Each
 * file gets a vfile of its own, so problems point into the file itself.
 */
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { isInside } from '../manuscript/inside.ts'
import { pointOf } from '../manuscript/load.ts'
import { decodeText } from '../text/encoding.ts'
import { readBibtex } from './formats/bibtex.ts'
import { readCslJson } from './formats/csl-json.ts'
import { readCslYaml } from './formats/csl-yaml.ts'
import { normalizeItem } from './normalize.ts'
import type { ReadEntry, Reference } from './types.ts'

export interface LoadedBibliography {
  references: Map<string, Reference>
  /** One vfile per bibliography file read, with its diagnostics. */
  files: VFile[]
  /** The names (as book.yaml gives them) of the files that could not be read in full, each reported. */
  unread: string[]
}

type Reader = (text: string, file: VFile) => ReadEntry[] | Promise<ReadEntry[]>

const readers: Record<string, Reader> = {
  '.json': readCslJson,
  '.yaml': readCslYaml,
  '.yml': readCslYaml,
  '.bib': readBibtex,
  '.bibtex': readBibtex,
  '.biblatex': readBibtex,
}

/** Read every bibliography file of the book. Problems with the list itself go on book.yaml's vfile. */
export async function loadBibliography(config: ResolvedConfig, configFile: VFile, cwd = process.cwd()): Promise<LoadedBibliography> {
  const references = new Map<string, Reference>()
  const files: VFile[] = []
  const unread: string[] = []
  const configText = String(configFile.value)
  const realRoot = await realpath(config.root)
  for (const name of config.bibliography) {
    const where = pointOf(configText, name)
    const reader = readers[path.extname(name).toLowerCase()]
    if (!reader) {
      report(configFile, 'config-invalid', `Unknown bibliography format \`${name}\`: use .json (CSL-JSON), .yaml (CSL-YAML) or .bib (BibTeX/BibLaTeX), as your reference manager exports them; ${UNCHECKED} it is read`, where)
      unread.push(name)
      continue
    }
    const absolute = path.resolve(config.root, name)
    let text: string
    try {
      const real = await realpath(absolute)
      if (path.isAbsolute(name) || !isInside(realRoot, real)) {
        report(configFile, 'asset-outside', `Bibliography \`${name}\` is outside the manuscript folder: move it into ${path.relative(cwd, config.root) || '.'} and name it relative to book.yaml; ${UNCHECKED} it is read`, where)
        unread.push(name)
        continue
      }
      const decoded = decodeText(await readFile(real))
      if (!decoded.ok) {
        const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: '' })
        files.push(file)
        report(file, 'encoding-invalid', `${decoded.reason}; ${UNCHECKED} it is read`, decoded.point)
        unread.push(name)
        continue
      }
      text = decoded.text
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read bibliography ${absolute}: ${(error as Error).message}`, { cause: error })
      report(configFile, 'bibliography-missing', `Bibliography \`${name}\` not found in ${path.relative(cwd, config.root) || '.'}: fix the name in \`bibliography:\` or add the file; ${UNCHECKED} it is found`, where)
      unread.push(name)
      continue
    }
    const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: text })
    files.push(file)
    const { entries, failed } = await readEntries(reader, text, file)
    if (failed) unread.push(name)
    for (const entry of entries) addReference(references, entry, file)
  }
  return { references, files, unread }
}

/** Said of every bibliography file that cannot be read: a key it defines would otherwise be "unknown". */
const UNCHECKED = 'citations are not checked until'

/** Attempts at reading a BibTeX file without its broken entries: each costs a parse of the whole file. */
const MAX_RECOVERIES = 10

/**
 * Read one file. Its syntax error is reported with the parser's position; a
 * BibTeX file is then read again without the entry the parser stopped in
 * (blanked, so every other entry keeps its line), so the entries that do
 * parse can still be cited.
 */
async function readEntries(reader: Reader, text: string, file: VFile): Promise<{ entries: ReadEntry[]; failed: boolean }> {
  const first = await readOnce(reader, text, file)
  const syntax = first.messages.find((message) => message.ruleId === 'bibliography-syntax')
  for (const message of first.messages) {
    if (message === syntax) report(file, 'bibliography-syntax', `${message.reason}; ${UNCHECKED} it parses`, message.place)
    else file.messages.push(message)
  }
  if (!syntax) return { entries: first.entries, failed: false }
  let current = text
  let line = syntax.line
  for (let attempt = 0; reader === readBibtex && line && attempt < MAX_RECOVERIES; attempt++) {
    const blanked = blankEntryAt(current, line)
    if (blanked === undefined) break
    current = blanked
    const again = await readOnce(reader, current, file)
    line = again.messages.find((message) => message.ruleId === 'bibliography-syntax')?.line
    // Only the first error is reported: the next one may be an echo of it, and is found once it is fixed.
    if (line === undefined) return { entries: again.entries, failed: true }
  }
  return { entries: [], failed: true }
}

/** Run a reader on a scratch vfile, so its messages can be looked at before they are kept. */
async function readOnce(reader: Reader, text: string, file: VFile): Promise<{ entries: ReadEntry[]; messages: VFile['messages'] }> {
  const scratch = new VFile({ path: file.path, cwd: file.cwd, value: text })
  const entries = await reader(text, scratch)
  return { entries, messages: scratch.messages }
}

/** `text` with the BibTeX entry holding `line` turned to spaces (its `@` line up to the next one), or undefined if there is none left there. */
function blankEntryAt(text: string, line: number): string | undefined {
  const lines = text.split('\n')
  const isStart = (index: number) => /^\s*@/.test(lines[index] ?? '')
  let start = Math.min(line, lines.length) - 1
  while (start >= 0 && !isStart(start)) start--
  if (start < 0) return undefined
  let end = start + 1
  while (end < lines.length && !isStart(end)) end++
  for (let index = start; index < end; index++) lines[index] = lines[index]!.replace(/[^\r]/g, ' ')
  return lines.join('\n')
}

function addReference(references: Map<string, Reference>, entry: ReadEntry, file: VFile): void {
  const item = normalizeItem(entry.item)
  if (typeof item === 'string') {
    const id = typeof entry.item.id === 'string' ? ` \`${entry.item.id}\`` : ''
    report(file, 'reference-invalid', `Reference${id} ${item}: it cannot be cited until fixed`, entry.place)
    return
  }
  const first = references.get(item.id)
  if (first) {
    const firstAt = `${first.file}${first.place ? `:${first.place.line}:${first.place.column}` : ''}`
    report(file, 'reference-duplicate', `Duplicate reference key \`${item.id}\`: also defined at ${firstAt}. Keep one, or rename one of them and its citations`, entry.place)
    return
  }
  references.set(item.id, { key: item.id, item, file: file.path, ...(entry.place ? { place: entry.place } : {}) })
  const markup = foreignMarkup(item)
  if (markup) {
    report(file, 'unsafe-html', `Unexpected markup \`${markup.tag}\` in \`${markup.field}\` of reference \`${item.id}\`: citeproc prints it as written (only <i>, <b>, <sup>, <sub>, <sc> and <span class="nocase"> format a field), so no element, image or link is made. Remove it`, entry.place)
  }
}

/** The formatting tags citeproc reads in a field; it escapes any other. */
const citeprocTags = /^<\/?(?:i|b|sup|sub|sc)>$|^<span class="nocase">$|^<span style="font-variant:\s*small-caps;?">$|^<\/span>$/

/** The first tag in a reference's text fields that citeproc would print as text, and its field. */
function foreignMarkup(item: Record<string, unknown>): { field: string; tag: string } | undefined {
  for (const [field, value] of Object.entries(item)) {
    if (typeof value !== 'string') continue
    for (const [tag] of value.matchAll(/<\/?[a-z][^>]*>/gi)) {
      if (!citeprocTags.test(tag)) return { field, tag: tag.length > 40 ? `${tag.slice(0, 40)}…` : tag }
    }
  }
  return undefined
}
