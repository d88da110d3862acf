/**
 * Read `book.yaml`, validate it against the schema and resolve defaults.
 * Problems become diagnostics on the file's own vfile, pointing at the key or
 * value in question, so the author can jump to it.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml'
import { VFile } from 'vfile'
import type { Point } from 'unist'
import { report } from '../diagnostics/rules.ts'
import { bookYamlSchema, CHECKABLE_RULES, parseTrim, type BookYaml, type Contributor, type FontSetting, type PartSetting, type ResolvedConfig } from './schema.ts'
import { slugify } from '../text/slug.ts'
import { parseIsbn } from './isbn.ts'
import { closest } from '../diagnostics/suggest.ts'
import { yamlErrorOffset, yamlToJs } from './yaml-errors.ts'
import { decodeText } from '../text/encoding.ts'
import { XML_FORBIDDEN } from '../text/xml.ts'

export const CONFIG_FILE = 'book.yaml'

declare module 'vfile' {
  interface DataMap {
    /**
     * Top-level keys of book.yaml whose settings could not be read (`*`: the
     * whole file), so later stages do not report what follows from them.
     */
    configUnread: string[]
  }
}

export interface LoadedConfig {
  config: ResolvedConfig
  /** The vfile of book.yaml (even when missing), holding its diagnostics. */
  file: VFile
}

/** Load and resolve `book.yaml` from the manuscript folder `root`. */
export async function loadConfig(root: string, cwd = process.cwd()): Promise<LoadedConfig> {
  const absolute = path.join(root, CONFIG_FILE)
  let bytes: Buffer | undefined
  try {
    bytes = await readFile(absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read ${absolute}: ${(error as Error).message}`, { cause: error })
    }
  }
  const decoded = bytes && decodeText(bytes)
  const text = decoded?.ok ? decoded.text : undefined
  const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: text ?? '' })
  if (decoded && !decoded.ok) {
    report(file, 'encoding-invalid', `${decoded.reason}; until then no setting of ${CONFIG_FILE} applies`, decoded.point)
    file.data.configUnread = ['*']
    return { config: resolveConfig(root, { title: titleFromFolder(root) }), file }
  }
  if (text === undefined) {
    report(file, 'config-missing', `No ${CONFIG_FILE} in ${path.relative(cwd, root) || '.'}: using defaults. Create it with at least a \`title:\``)
    return { config: resolveConfig(root, { title: titleFromFolder(root) }), file }
  }
  const parsed = parseConfigText(text, file)
  return { config: resolveConfig(root, parsed ?? { title: titleFromFolder(root) }), file }
}

/**
 * Parse and validate the YAML text. Returns the valid keys; invalid ones are
 * reported and dropped, so one typo does not hide every other setting.
 */
export function parseConfigText(text: string, file: VFile): BookYaml | undefined {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const pointAt = (offset: number): Point => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const unread: string[] = (file.data.configUnread = [])
  const seen = new Set<number>()
  for (const error of doc.errors) {
    const offset = yamlErrorOffset(text, error)
    // The parser's further complaints about the same spot add nothing.
    if (seen.has(offset)) continue
    seen.add(offset)
    report(file, 'config-syntax', `Invalid YAML in ${CONFIG_FILE}: ${firstLine(error.message)}. Until it parses, no setting of the file applies`, pointAt(offset))
  }
  if (doc.errors.length > 0) {
    unread.push('*')
    return undefined
  }
  // Written as an escape (`"\0"`, `"\x01"`) or as itself: the EPUB's XML cannot hold it either way.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && new RegExp(XML_FORBIDDEN.source).test(node.value)) {
        report(file, 'character-invalid', `Unexpected control character in a value of ${CONFIG_FILE}, which an EPUB cannot hold: delete it`, pointAt(node.range?.[0] ?? 0))
      }
    },
  })
  const converted = yamlToJs(doc)
  if (!converted.ok) {
    report(file, 'config-syntax', `Invalid YAML in ${CONFIG_FILE}: ${converted.reason}. Until it is fixed, no setting of the file applies`, pointAt(converted.offset))
    unread.push('*')
    return undefined
  }
  const data: unknown = converted.value ?? {}
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    report(file, 'config-invalid', `Expected ${CONFIG_FILE} to be a mapping of keys (title: …), not a ${Array.isArray(data) ? 'list' : typeof data}`, pointAt(0))
    unread.push('*')
    return undefined
  }
  const result = bookYamlSchema.safeParse(data)
  if (result.success) return result.data

  // toJS() made a fresh object: dropping keys from it touches nothing else.
  const record = data as Record<string, unknown>
  for (const issue of result.error.issues) {
    const issuePath = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...issuePath, key]
        const known = knownKeys(issuePath)
        const hint = closest(key, known)
        report(
          file,
          'config-invalid',
          `Unexpected key \`${keyPath.join('.')}\` in ${CONFIG_FILE}${hint ? `, did you mean \`${hint}\`?` : `; known keys: ${known.join(', ')}`}`,
          pointAt(keyOffset(doc, keyPath)),
        )
        // Only the misspelt key goes: `toc: {deph: 2}` leaves the title, the author and the rest in force.
        const parent = issuePath.reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[part] : undefined), record)
        if (isRecord(parent)) delete parent[key]
      }
      continue
    }
    const where = issuePath.length > 0 ? `\`${issuePath.join('.')}\`` : 'the file'
    report(file, 'config-invalid', `Invalid value for ${where} in ${CONFIG_FILE}: ${issue.message}`, pointAt(valueOffset(doc, issuePath)))
    const top = issuePath[0]
    if (typeof top === 'string') {
      delete record[top]
      unread.push(top)
    }
  }
  // Keep what is valid; a missing title falls back to the folder's name.
  const retry = bookYamlSchema.safeParse({ title: 'Untitled', ...record })
  if (retry.success) return retry.data
  // Not expected (every issue above dropped its key), but a stray one must not cost the other settings.
  for (const issue of retry.error.issues) {
    const top = issue.path[0]
    if (typeof top === 'string') {
      delete record[top]
      unread.push(top)
    }
  }
  const last = bookYamlSchema.safeParse({ title: 'Untitled', ...record })
  if (last.success) return last.data
  unread.push('*')
  return undefined
}

function isRecord(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The keys book.yaml accepts at a path: top-level keys, rule ids under `checks`, or a nested object's keys (in a list too: `parts.0`). */
function knownKeys(at: (string | number)[]): string[] {
  if (at.length === 0) return Object.keys(bookYamlSchema.shape)
  if (at[0] === 'checks') return CHECKABLE_RULES
  // Zod's `unwrap` goes through optional values and into a list's items.
  type Schema = { unwrap?: () => Schema; shape?: Record<string, unknown> }
  let schema = bookYamlSchema.shape[at[0] as keyof typeof bookYamlSchema.shape] as Schema | undefined
  for (const part of at.slice(1)) {
    while (schema?.unwrap) schema = schema.unwrap()
    if (typeof part === 'string') schema = schema?.shape?.[part] as Schema | undefined
  }
  while (schema?.unwrap) schema = schema.unwrap()
  return Object.keys(schema?.shape ?? {})
}

function keyOffset(doc: Document, keyPath: (string | number)[]): number {
  const parent = keyPath.length > 1 ? doc.getIn(keyPath.slice(0, -1), true) : doc.contents
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(keyPath.at(-1))) {
        return pair.key.range?.[0] ?? 0
      }
    }
  }
  return 0
}

function valueOffset(doc: Document, issuePath: (string | number)[]): number {
  for (let length = issuePath.length; length > 0; length--) {
    const node = doc.getIn(issuePath.slice(0, length), true) as { range?: [number, number, number] } | undefined
    if (node && typeof node === 'object' && node.range) return node.range[0]
  }
  return 0
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

function titleFromFolder(root: string): string {
  const name = path.basename(path.resolve(root))
  return name === 'chapters' ? 'Untitled Book' : name
}

/** Fill in defaults and normalize shapes. */
export function resolveConfig(root: string, yaml: BookYaml): ResolvedConfig {
  const people = yaml.author === undefined ? [] : Array.isArray(yaml.author) ? yaml.author : [yaml.author]
  const contributors: Contributor[] = people.map((person) =>
    typeof person === 'string'
      ? { name: person, role: 'author' }
      : { name: person.name, role: person.role ?? 'author', ...(person['file-as'] ? { fileAs: person['file-as'] } : {}) },
  )
  const bibliography = yaml.bibliography === undefined ? [] : Array.isArray(yaml.bibliography) ? yaml.bibliography : [yaml.bibliography]
  const optional = {
    subtitle: yaml.subtitle,
    publisher: yaml.publisher,
    date: yaml.date === undefined ? undefined : String(yaml.date),
    identifier: yaml.identifier,
    printIsbn: yaml['print-isbn'] === undefined ? undefined : parseIsbn(yaml['print-isbn']),
    rights: yaml.rights,
    colophon: yaml.colophon,
    description: yaml.description,
    backCover: yaml['back-cover'],
    authorBio: yaml['author-bio'],
    cover: yaml.cover,
    chapters: yaml.chapters,
    parts: yaml.parts?.map((part): PartSetting => {
      const [first, last = first] = Array.isArray(part.chapters) ? part.chapters : [part.chapters]
      return { title: part.title, chapters: [first, last], ...(part.epigraph ? { epigraph: part.epigraph } : {}), ...(part['epigraph-source'] ? { epigraphSource: part['epigraph-source'] } : {}) }
    }),
  }
  return {
    root: path.resolve(root),
    title: yaml.title,
    contributors,
    language: yaml.language ?? 'en',
    bibliography,
    citationStyle: yaml['citation-style'] ?? 'chicago-notes-bibliography',
    chapterBibliographies: yaml['chapter-bibliographies'] ?? false,
    trim: parseTrim(yaml.trim ?? '6x9in')!,
    slug: yaml.slug ?? (slugify(yaml.title) || 'book'),
    paragraphs: yaml.paragraphs ?? 'auto',
    figures: yaml.figures ?? 'plain',
    partNumbers: yaml['part-numbers'] ?? 'words',
    index: yaml.index ?? false,
    tocDepth: yaml.toc?.depth ?? 2,
    checks: yaml.checks ?? {},
    epub: { embedFonts: yaml.epub?.['embed-fonts'] ?? false },
    // A store's preset is for its upload: the print file is always among what is written.
    pdf: { variant: yaml.print?.preset && yaml.pdf?.variant !== 'print' ? 'both' : (yaml.pdf?.variant ?? 'screen') },
    notes: { print: typeof yaml.notes === 'string' ? yaml.notes : (yaml.notes?.print ?? 'endnotes') },
    fonts: Object.fromEntries(
      Object.entries(yaml.fonts ?? {}).flatMap(([role, setting]): [string, FontSetting][] => {
        if (setting === undefined) return []
        if (typeof setting === 'string') return [[role, setting]]
        const styles = Object.entries({ family: setting.family, italic: setting.italic, bold: setting.bold, boldItalic: setting['bold-italic'] }).filter(([, value]) => value !== undefined)
        return [[role, { regular: setting.regular, ...Object.fromEntries(styles) }]]
      }),
    ),
    print: {
      ...(yaml.print?.['font-size'] === undefined ? {} : { fontSize: yaml.print['font-size'] }),
      ...(yaml.print?.leading === undefined ? {} : { leading: yaml.print.leading }),
      ...(yaml.print?.preset === undefined ? {} : { preset: { store: yaml.print.preset, paper: yaml.print.paper ?? 'white', bleed: yaml.print.bleed ?? false } }),
    },
    ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) as Partial<ResolvedConfig>),
  }
}

/**
 * Where the value at `keys` (`['parts', 0, 'chapters', 1]`) is written in
 * book.yaml, for a later stage that finds it names something the book does
 * not have; the nearest enclosing value when that one is not written.
 */
export function configPoint(file: VFile, keys: (string | number)[]): Point | undefined {
  if (!file.value) return undefined
  const lineCounter = new LineCounter()
  const doc = parseDocument(String(file.value), { lineCounter })
  const offset = valueOffset(doc, keys)
  const { line, col } = lineCounter.linePos(offset)
  return { line, column: col }
}
