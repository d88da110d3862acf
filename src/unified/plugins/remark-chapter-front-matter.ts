/**
 * Read a chapter's YAML front matter into `file.data.frontMatter` and remove
 * it from the tree. Bad keys or values are reported at their line in the
 * chapter file; the rest of the front matter still applies.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import { z } from 'zod'
import { report } from '../../checks/rules.ts'
import type { CitationMapEntry } from '../../model/types.ts'
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
} as const

type KnownKey = keyof typeof known

/** Parse front matter into `file.data.frontMatter`. */
export function remarkChapterFrontMatter() {
  return function (tree: Root, file: VFile) {
    const frontMatter: FrontMatter = { meta: {} }
    file.data.frontMatter = frontMatter
    const first = tree.children[0]
    if (!first || first.type !== 'yaml') return
    tree.children.shift()
    // The YAML text starts on the line after the opening `---`.
    const firstLine = (first.position?.start.line ?? 1) + 1
    const lineCounter = new LineCounter()
    const doc = parseDocument(first.value, { lineCounter, prettyErrors: false })
    const at = (offset: number) => {
      const { line, col } = lineCounter.linePos(offset)
      return { line: firstLine + line - 1, column: col }
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        report(file, 'front-matter-invalid', `Invalid YAML in the front matter: ${error.message.split('\n')[0]}`, at(error.pos[0]))
      }
      return
    }
    const data: unknown = doc.toJS()
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
        for (const issue of result.error.issues) {
          const issuePath = [key, ...issue.path.map(String)]
          report(file, 'front-matter-invalid', `Invalid front matter \`${issuePath.join('.')}\`: ${issue.message}`, at(offsetOf(doc, issuePath)))
        }
        continue
      }
      assign(frontMatter, key as KnownKey, result.data)
    }
  }
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
