/**
 * Where a chapter's front matter ends, read from its lines, for the code
 * that must know before the Markdown parser runs (the paragraph mode is a
 * front matter key) and for the check of an unclosed block. Matches
 * remark-frontmatter: the first line is `---` and a later `---` line closes it.
 */

/** A line of a YAML mapping as authors write front matter: `key: value`, an indented or list line, a comment. */
export const yamlLine = /^(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t].*)?|[ \t]+\S.*|[ \t]*-(?:[ \t].*)?|[ \t]*#.*)$/
const topKey = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)/
const fence = /^---[ \t]*$/

export interface FrontMatterLines {
  /** `closed`: a `---` line closes it; `unclosed`: none does, and the block is the key lines after the opening one. */
  kind: 'closed' | 'unclosed'
  /** The YAML text (without the fences). */
  value: string
  /** The 0-based index of the first line after the block (after its closing fence, when it has one). */
  end: number
}

/**
 * The front matter block of a chapter, if it has one. An unclosed block is
 * the key lines after the opening `---`, up to a blank or a prose line, when
 * one of them is a key Quire reads (`known`) or there are two keys: so a
 * scene break before "Vienna: the rain" stays text.
 */
export function frontMatterLines(lines: string[], known: ReadonlySet<string>): FrontMatterLines | undefined {
  if (!fence.test(lines[0] ?? '')) return undefined
  for (let i = 1; i < lines.length; i++) if (fence.test(lines[i]!)) return { kind: 'closed', value: lines.slice(1, i).join('\n'), end: i + 1 }
  if (!topKey.test(lines[1] ?? '')) return undefined
  let end = 1
  while (end < lines.length && yamlLine.test(lines[end]!)) end++
  const block = lines.slice(1, end)
  const keys = block.flatMap((line) => topKey.exec(line)?.[1] ?? [])
  if (!keys.some((key) => known.has(key)) && keys.length < 2) return undefined
  return { kind: 'unclosed', value: block.join('\n'), end }
}

/** The front matter keys Quire reads itself. */
export const FRONT_MATTER_KEYS: ReadonlySet<string> = new Set(['title', 'number', 'citations', 'paragraphs', 'role', 'part'])
