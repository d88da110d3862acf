/**
 * Read a chapter's YAML front matter into `file.data.frontMatter` and remove
 * it from the tree. Bad keys or values are reported at their line in the
 * chapter file; the rest of the front matter still applies. A block with no
 * closing `---` is an error of its own, not a rule and a paragraph of text.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import { z } from 'zod'
import { report } from '../../diagnostics/rules.ts'
import { yamlErrorOffset, yamlToJs } from '../../config/yaml-errors.ts'
import type { CitationMapEntry } from '../../model/types.ts'
import { CHAPTER_ROLES, type ChapterRole } from '../../model/roles.ts'
import { FRONT_MATTER_KEYS, frontMatterLines, yamlLine } from '../front-matter-lines.ts'
import type { FrontMatter } from '../types.ts'

const citationTarget = z.union([
  z.string().trim().min(1),
  z
    .object({
      key: z.string().trim().min(1),
      locator: z.union([z.string(), z.number()]).optional(),
      prefix: z.string().optional(),
      suffix: z.string().optional(),
    })
    .strict(),
])

const known = {
  title: z.string().trim().min(1, 'expected a non-empty title'),
  number: z.union([z.number().int().min(0), z.literal(false)], { error: 'expected a whole number, or false for an unnumbered chapter' }),
  citations: z.record(z.string().regex(/^[1-9]\d*$/), citationTarget, {
    error: (issue) => (issue.code === 'invalid_key' ? 'expected marker numbers 1, 2, 3 … as keys' : undefined),
  }),
  paragraphs: z.enum(['auto', 'lines', 'blank']),
  role: z.enum(CHAPTER_ROLES, { error: `expected one of ${CHAPTER_ROLES.join(', ')}` }),
  part: z.union(
    [
      z.string().trim().min(1),
      z.object({ title: z.string().trim().min(1), epigraph: z.string().trim().min(1).optional(), 'epigraph-source': z.string().trim().min(1).optional() }).strict(),
    ],
    { error: 'expected the title of the part this chapter opens, or {title, epigraph, epigraph-source}' },
  ),
} as const

type KnownKey = keyof typeof known

/** Parse front matter into `file.data.frontMatter`. */
export function remarkChapterFrontMatter() {
  return function (tree: Root, file: VFile) {
    const frontMatter: FrontMatter = { meta: {} }
    file.data.frontMatter = frontMatter
    const first = tree.children[0]
    if (first?.type === 'yaml') {
      tree.children.shift()
      // The YAML text starts on the line after the opening `---`.
      readYaml(first.value, (first.position?.start.line ?? 1) + 1, frontMatter, file)
      return
    }
    const unclosed = findUnclosed(String(file.value), tree)
    if (!unclosed) return
    report(
      file,
      'front-matter-unclosed',
      `Unclosed front matter: the \`---\` on line 1 opens it and no \`---\` line closes it. Add one after line ${unclosed.endLine}; until then ${unclosed.endLine === 2 ? 'line 2 is' : `lines 2–${unclosed.endLine} are`} read as front matter, not as text`,
      { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } },
    )
    frontMatter.unread = 'unclosed'
    // The rule and the key lines are not the chapter's text.
    tree.children = tree.children.filter((node) => (node.position?.end.line ?? Infinity) > unclosed.endLine)
    readYaml(unclosed.value, 2, frontMatter, file)
  }
}

/** Validate the YAML of a front matter block whose first line is `firstLine` of the file, into `frontMatter`. */
function readYaml(text: string, firstLine: number, frontMatter: FrontMatter, file: VFile): void {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line: firstLine + line - 1, column: col }
  }
  if (doc.errors.length > 0) {
    frontMatter.unread = frontMatter.unread ?? 'syntax'
    const lines = text.split(/\r?\n/)
    // A closing `---` forgotten before a scene break makes the prose up to it "front matter".
    const prose = lines.findIndex((line) => line.trim() !== '' && !yamlLine.test(line))
    const seen = new Set<number>()
    for (const error of doc.errors) {
      const offset = yamlErrorOffset(text, error)
      // The parser's further complaints about the same spot add nothing.
      if (seen.has(offset)) continue
      seen.add(offset)
      const point = at(offset)
      const hint = prose >= 0 && point.line >= firstLine + prose ? `; line ${firstLine + prose} reads as text: is the front matter's closing \`---\` missing before it?` : ''
      report(file, 'front-matter-invalid', `Invalid YAML in the front matter: ${error.message.split('\n')[0]}${hint}`, point)
    }
    return
  }
  const converted = yamlToJs(doc)
  if (!converted.ok) {
    frontMatter.unread = frontMatter.unread ?? 'syntax'
    report(file, 'front-matter-invalid', `Invalid YAML in the front matter: ${converted.reason}`, at(converted.offset))
    return
  }
  const data: unknown = converted.value
  if (data === null || data === undefined) return
  if (typeof data !== 'object' || Array.isArray(data)) {
    report(file, 'front-matter-invalid', 'Expected the front matter to be a mapping of keys (`title: …`)', at(0))
    return
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!(key in known)) {
      frontMatter.meta[key] = value
      continue
    }
    const result = known[key as KnownKey].safeParse(value)
    if (!result.success) {
      // A chapter whose role could not be read is not then reported as a chapter out of place.
      if (key === 'role') frontMatter.rolePoint = at(offsetOf(doc, [key]))
      for (const issue of result.error.issues) {
        const issuePath = [key, ...issue.path.map(String)]
        report(file, 'front-matter-invalid', `Invalid front matter \`${issuePath.join('.')}\`: ${issue.message}`, at(offsetOf(doc, issuePath)))
      }
      continue
    }
    assign(frontMatter, key as KnownKey, result.data)
    // Where the role or the part is written: one out of place is reported there (parse/matter.ts, parse/parts.ts).
    if (key === 'role') frontMatter.rolePoint = at(offsetOf(doc, [key]))
    if (key === 'part') frontMatter.partPoint = at(offsetOf(doc, [key]))
  }
}

/**
 * A front matter block with no closing fence, which remark-frontmatter leaves
 * as a thematic break and a paragraph (see `frontMatterLines`).
 */
function findUnclosed(text: string, tree: Root): { value: string; endLine: number } | undefined {
  const first = tree.children[0]
  if (first?.type !== 'thematicBreak' || first.position?.start.line !== 1) return undefined
  const block = frontMatterLines(text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/), FRONT_MATTER_KEYS)
  return block?.kind === 'unclosed' ? { value: block.value, endLine: block.end } : undefined
}

function assign(frontMatter: FrontMatter, key: KnownKey, value: unknown): void {
  switch (key) {
    case 'title':
      frontMatter.title = value as string
      break
    case 'number':
      frontMatter.number = value as number | false
      break
    case 'paragraphs':
      frontMatter.paragraphs = value as FrontMatter['paragraphs'] & string
      break
    case 'role':
      frontMatter.role = value as ChapterRole
      break
    case 'part': {
      const part = value as string | { title: string; epigraph?: string; 'epigraph-source'?: string }
      frontMatter.part =
        typeof part === 'string'
          ? { title: part }
          : { title: part.title, ...(part.epigraph ? { epigraph: part.epigraph } : {}), ...(part['epigraph-source'] ? { epigraphSource: part['epigraph-source'] } : {}) }
      break
    }
    case 'citations': {
      const map: Record<number, CitationMapEntry> = {}
      for (const [marker, target] of Object.entries(value as Record<string, z.infer<typeof citationTarget>>)) {
        map[Number(marker)] =
          typeof target === 'string'
            ? { key: target }
            : {
                key: target.key,
                ...(target.locator === undefined ? {} : { locator: String(target.locator) }),
                ...(target.prefix === undefined ? {} : { prefix: target.prefix }),
                ...(target.suffix === undefined ? {} : { suffix: target.suffix }),
              }
      }
      frontMatter.citations = map
      break
    }
  }
}

/** Offset of the deepest node along `keys` (a key of a map, or the value). */
function offsetOf(doc: Document, keys: string[]): number {
  let node: unknown = doc.contents
  let offset = 0
  for (const key of keys) {
    if (!isMap(node)) break
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key)
    if (!pair) break
    const keyNode = pair.key as { range?: [number, number, number] }
    offset = keyNode.range?.[0] ?? offset
    node = pair.value
  }
  return offset
}
