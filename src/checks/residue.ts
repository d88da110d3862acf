/**
 * Web residue: what comes along when text is copied from a web page or a
 * social feed. The patterns are shared by the residue rules and by the fix
 * that removes residue standing alone at a paragraph's or chapter's end.
 */
import type { Paragraph, Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, quote, reportSpan, type ProseSegment } from './prose.ts'
import type { RuleId } from '../diagnostics/rules.ts'

/** A hashtag (`#Topic`, not `#1` or `C#`) or a cashtag (`$TICK`, not `$5`). */
const tag = String.raw`(?<![\p{L}\p{N}_&/\\#$])(?:#[\p{L}_][\p{L}\p{N}_]*|\$[A-Z]{1,5}(?![\p{L}\p{N}_]))`
/** Two or more tags in a row: one alone ("the #MeToo movement") is prose. */
export const tagRun = new RegExp(String.raw`${tag}(?:[ \t]+${tag})+`, 'gu')
const singleTag = new RegExp(`^${tag}$`, 'u')

/** An emoji (one with emoji presentation, or any pictograph asked to be one), with its modifiers and joins; a flag. */
const emoji = String.raw`(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}{2})(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic}\uFE0F?)*`
export const emojiRun = new RegExp(String.raw`${emoji}(?:[ \t]*${emoji})*`, 'gu')
const emojiOnly = new RegExp(String.raw`^(?:${emoji}|\s)+$`, 'u')

/**
 * The calls to action of a web page, as a whole line ("Share this article",
 * "Follow us on Twitter", "Click here to subscribe"). A sentence that only
 * begins with those words ("Follow us, the captain said") is prose.
 */
export const shareLine = new RegExp(
  String.raw`^(?:share(?: this(?: (?:article|story|post|page|video))?| (?:on|via) [\p{L}\p{N} ,&]{1,40}|:)?` +
    String.raw`|follow us(?: on [\p{L}\p{N} ,&]{1,60})?|follow @\w+` +
    String.raw`|(?:click|tap) here(?: to (?:subscribe|sign up|share|download|learn more|read more|read the (?:full|whole) (?:article|story|report|post)))?` +
    String.raw`|subscribe(?: (?:now|today|to (?:our|the) (?:newsletter|channel|podcast)))?|sign up for (?:our|the) newsletter|sign up (?:now|today)` +
    String.raw`|read more|continue reading|read the full (?:article|story)|related(?: (?:articles|stories|posts|reading))?|advertisement|sponsored` +
    String.raw`|tweet this|like us on \w+|join our (?:newsletter|mailing list))` +
    String.raw`[ 	]*[.:!…»›>→]*$`,
  'iu',
)

/** Whether `text` (one paragraph or line) is nothing but web residue. */
export function isResidueText(text: string): boolean {
  const trimmed = text.replace(/\u0000/g, ' ').trim()
  if (trimmed === '') return false
  if (shareLine.test(trimmed)) return true
  if (emojiOnly.test(trimmed)) return true
  const withoutTags = trimmed.replace(tagRun, '').trim()
  return withoutTags === '' || singleTag.test(withoutTags) || emojiOnly.test(withoutTags)
}

/** The paragraph's source text, with the prose segments' masking (URLs count as nothing). */
export function paragraphText(paragraph: Paragraph, file: VFile): string | undefined {
  const start = paragraph.position?.start.offset
  const end = paragraph.position?.end.offset
  if (start === undefined || end === undefined) return undefined
  return String(file.value).slice(start, end)
}

const tails = new WeakMap<Root, Set<RootContent>>()

/**
 * Top-level paragraphs that are nothing but residue and that nothing but
 * residue (or notes and comments) follows: the tail of a pasted page.
 */
export function residueTail(tree: Root, file: VFile): Set<RootContent> {
  const known = tails.get(tree)
  if (known) return known
  const tail = new Set<RootContent>()
  tails.set(tree, tail)
  for (let index = tree.children.length - 1; index >= 0; index--) {
    const node = tree.children[index]!
    if (node.type === 'html' || node.type === 'definition' || node.type === 'footnoteDefinition' || !node.position) continue
    if (node.type !== 'paragraph') break
    const text = paragraphText(node, file)
    if (text === undefined || !isResidueText(text)) break
    tail.add(node)
  }
  return tail
}

/**
 * The fix for residue between `start` and `end` in `segment`, if the residue
 * stands alone at the end of its paragraph (after the paragraph's text), or
 * fills a paragraph in the chapter's residue tail. Returns the source span
 * to delete, or undefined when removing it is not clearly safe.
 */
export function residueRemoval(tree: Root, file: VFile, segment: ProseSegment, start: number, end: number): { start: number; end: number } | undefined {
  const source = String(file.value)
  const block = segment.block
  const blockStart = block.position?.start.offset
  const blockEnd = block.position?.end.offset
  if (blockStart === undefined || blockEnd === undefined || segment.quoted) return undefined
  // Nothing but spaces after the run, to the end of the paragraph.
  if (source.slice(end, blockEnd).trim() !== '') return undefined
  const before = source.slice(blockStart, start)
  if (before.trim() !== '') {
    // Trailing residue: it must follow the end of a sentence, and goes with the spaces before it.
    if (!/[.!?…]["'”’»)\]*_]*\s+$/.test(before)) return undefined
    const kept = before.trimEnd().length
    return { start: blockStart + kept, end: blockEnd }
  }
  // A whole paragraph of residue: only in the chapter's tail, with the blank lines before it.
  if (!residueTail(tree, file).has(block as RootContent)) return undefined
  const previous = source.slice(0, blockStart).trimEnd().length
  return previous === 0 ? { start: 0, end: blockEnd + (source.slice(blockEnd).length - source.slice(blockEnd).trimStart().length) } : { start: previous, end: blockEnd }
}

/** The prose segments a residue rule reads: not quoted matter, which is the source's own. */
export function authorSegments(tree: Root, file: VFile): ProseSegment[] {
  return proseSegments(tree, file).filter((segment) => !segment.quoted)
}

/**
 * Report every run of `pattern` in `segments` as `ruleId`, with a fix that
 * removes the run where it stands alone at a paragraph's or chapter's end.
 */
export function reportResidueRuns(tree: Root, file: VFile, segments: ProseSegment[], pattern: RegExp, ruleId: RuleId, reason: (run: string) => string): void {
  for (const { segment, match, start, end } of matchesIn(segments, pattern)) {
    const removal = residueRemoval(tree, file, segment, start, end)
    reportSpan(file, ruleId, reason(match[0]), start, end, removal && { ...removal, text: '', description: `removed ${quote(match[0])}` })
  }
}
