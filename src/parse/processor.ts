/**
 * The two unified processors, each built once per build and run on every
 * chapter. The order of the plugins is the order of the work, and matters:
 *
 * parse (Markdown → mdast, whole-chapter transforms)
 *   0. the parser itself is wrapped: blocks end where their syntax ends, and in
 *      a line-paragraph chapter every line is a paragraph (remarkLineParagraphs);
 *   1. front matter is read first: it can set the number;
 *   2. (the paragraph mode was settled at parse time, from the lines and the
 *      front matter's `paragraphs:`);
 *   3. citation markers become nodes before typography, so `[@key]` is never curled;
 *      captioned images become figures between the two (a caption may cite, and
 *      a caption taken from an image title is curled too);
 *   4. typography runs before titles and sections are read, so they carry curly quotes;
 *   5. the title heading is taken out before section lines settle the chapter number;
 *   6. ids (of headings and figures, and figure numbers) need the chapter number;
 *      datelines need the headings in place;
 *   7. characters no shipped font draws are reported on the final text;
 *   8. then the manuscript rules (src/checks), which read the source spans
 *      of the final tree, and the quire-ignore comments they answer to.
 *
 * html (mdast → sanitized hast)
 *   adjacent note calls get a comma between them; task-list boxes become
 *   characters before raw HTML is parsed (so any
 *   `<input>` left is the author's), paths and images are checked, then
 *   the tree is sanitized (and whatever that removes reported) and its
 *   images' alt text checked.
 */
import type { Element, ElementContent, Root as HastRoot } from 'hast'
import { EXIT, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import rehypeRaw from 'rehype-raw'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import type { Handler, State } from 'mdast-util-to-hast'
import type { FootnoteReference, Nodes as MdastNodes } from 'mdast'
import { unified, type Processor } from 'unified'
import type { ResolvedConfig } from '../config/schema.ts'
import { remarkChapterFrontMatter } from '../unified/plugins/remark-chapter-front-matter.ts'
import { remarkChapterTitle } from '../unified/plugins/remark-chapter-title.ts'
import { remarkCdataText } from '../unified/plugins/remark-cdata-text.ts'
import { remarkAttributes } from '../unified/plugins/remark-attributes.ts'
import { remarkIndexMarks } from '../unified/plugins/remark-index-marks.ts'
import { remarkCitationMarkers } from '../unified/plugins/remark-citation-markers.ts'
import { remarkDatelines } from '../unified/plugins/remark-datelines.ts'
import { remarkFigureNumbers } from '../unified/plugins/remark-figure-numbers.ts'
import { remarkFigures } from '../unified/plugins/remark-figures.ts'
import { remarkHeadingIds } from '../unified/plugins/remark-heading-ids.ts'
import { remarkLineParagraphs } from '../unified/plugins/remark-line-paragraphs.ts'
import { remarkSectionLines } from '../unified/plugins/remark-section-lines.ts'
import { remarkTypography } from '../unified/plugins/remark-typography.ts'
import { rehypeLocalAssets } from '../unified/plugins/rehype-local-assets.ts'
import { rehypeNoteCallSeparators } from '../unified/plugins/rehype-note-call-separators.ts'
import { rehypeEpigraph } from '../unified/plugins/rehype-epigraph.ts'
import { rehypeTaskCheckboxes } from '../unified/plugins/rehype-task-checkboxes.ts'
import { rehypeUnsafeHtml } from '../unified/plugins/rehype-unsafe-html.ts'
import { sanitizeSchema } from '../unified/sanitize-schema.ts'
import { rehypeImageAltMissing } from '../checks/image-alt-missing.ts'
import { remarkGlyphMissing } from '../checks/glyph-missing.ts'
import { bookFonts } from '../fonts/families.ts'
import type { ParserSettings } from './parse-chapter.ts'
import { remarkBlankLinesRun } from '../checks/blank-lines-run.ts'
import { remarkCharacterInvalid } from '../checks/character-invalid.ts'
import { remarkChapterEmpty } from '../checks/chapter-empty.ts'
import { remarkDatelineLowercase } from '../checks/dateline-lowercase.ts'
import { remarkIgnoreComments } from '../checks/ignore-comments.ts'
import { remarkNumberZeroed } from '../checks/number-zeroed.ts'
import { remarkPlaceholder } from '../checks/placeholder.ts'
import { remarkQuotesStraightHtml } from '../checks/quotes-straight-html.ts'
import { remarkResidueEmoji } from '../checks/residue-emoji.ts'
import { remarkResidueEntity } from '../checks/residue-entity.ts'
import { remarkResidueHashtags } from '../checks/residue-hashtags.ts'
import { remarkResidueShareLine } from '../checks/residue-share-line.ts'
import { remarkResidueTracking } from '../checks/residue-tracking.ts'
import { remarkSectionNumberSequence } from '../checks/section-number-sequence.ts'
import { remarkSpaceBeforePunctuation } from '../checks/space-before-punctuation.ts'
import { remarkSpacesDoubled } from '../checks/spaces-doubled.ts'
import { remarkUnitNumberMissing } from '../checks/unit-number-missing.ts'
import type { Citation, Dateline, Endnotes, Figure, FigureCaption, HastBlock, NoteLink } from '../unified/types.ts'
import '../unified/types.ts'

/** Indented code is off: word processors indent paragraphs, and books fence their code. */
function remarkNoIndentedCode(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push({ disable: { null: ['codeIndented'] } })
}

/** Build the Markdown processor: parse plus the whole-chapter mdast transforms. */
export function createParser(config: ParserSettings) {
  return unified()
    .use(remarkParse)
    .use(remarkLineParagraphs, { mode: config.paragraphs })
    .use(remarkNoIndentedCode)
    .use(remarkGfm)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkChapterFrontMatter)
    .use(remarkCdataText)
    // Before typography, which would curl the quotes of attribute values.
    .use(remarkAttributes)
    .use(remarkCitationMarkers)
    .use(remarkFigures)
    .use(remarkTypography)
    .use(remarkChapterTitle)
    .use(remarkSectionLines)
    .use(remarkHeadingIds)
    .use(remarkFigureNumbers, { figures: config.figures })
    .use(remarkIndexMarks)
    .use(remarkDatelines)
    .use(remarkGlyphMissing, { faces: config.fonts && config.root !== undefined ? bookFonts({ fonts: config.fonts, root: config.root }) : undefined })
    .use(manuscriptRules)
}

/** The rules that read a chapter's final tree; each adds its own messages. */
const manuscriptRules = [
  remarkIgnoreComments,
  remarkChapterEmpty,
  remarkSectionNumberSequence,
  remarkPlaceholder,
  remarkNumberZeroed,
  remarkUnitNumberMissing,
  remarkResidueHashtags,
  remarkResidueShareLine,
  remarkResidueTracking,
  remarkResidueEntity,
  remarkResidueEmoji,
  remarkSpacesDoubled,
  remarkSpaceBeforePunctuation,
  remarkQuotesStraightHtml,
  remarkBlankLinesRun,
  remarkDatelineLowercase,
  remarkCharacterInvalid,
]

/** How Quire's own mdast nodes become HTML. */
export const handlers: Record<string, Handler> = {
  citation(state: State, node: MdastNodes): ElementContent[] {
    const citation = node as Citation
    const resolved = citation.resolved
    if (resolved?.as === 'note') return [...(resolved.lead ?? []), noteReference(resolved.note)]
    if (resolved?.as === 'text') {
      const result: Element = { type: 'element', tagName: 'span', properties: { className: ['citation'] }, children: resolved.hast }
      state.patch(citation, result)
      return [result]
    }
    // Unresolved (reported as an error; only a --draft build gets here): a visible placeholder.
    const result: Element = {
      type: 'element',
      tagName: 'span',
      properties: { className: ['citation', 'citation-unresolved'], title: citation.value },
      children: [{ type: 'text', value: '[?]' }],
    }
    state.patch(citation, result)
    return [result]
  },
  footnoteReference(_state: State, node: MdastNodes): ElementContent[] {
    const note = (node as FootnoteReference).data?.quireNote
    return note ? [noteReference(note)] : []
  },
  endnotes(state: State, node: MdastNodes): Element {
    return endnotesSection(state, node as unknown as Endnotes)
  },
  hastBlock(_state: State, node: MdastNodes): Element {
    return (node as unknown as HastBlock).hast
  },
  dateline(state: State, node: MdastNodes): Element {
    const dateline = node as Dateline
    const result: Element = { type: 'element', tagName: 'span', properties: { className: ['dateline'] }, children: state.all(dateline) }
    state.patch(dateline, result)
    return state.applyData(dateline, result)
  },
  figure(state: State, node: MdastNodes): Element {
    const figure = node as unknown as Figure
    const result: Element = { type: 'element', tagName: 'figure', properties: { className: ['figure'] }, children: state.all(figure) }
    state.patch(figure, result)
    return state.applyData(figure, result)
  },
  figureCaption(state: State, node: MdastNodes): Element {
    const caption = node as unknown as FigureCaption
    const result: Element = { type: 'element', tagName: 'figcaption', properties: {}, children: state.all(caption) }
    state.patch(caption, result)
    return result
  },
  figureLabel(_state: State, node: MdastNodes): Element {
    const value = (node as { value: string }).value
    return { type: 'element', tagName: 'span', properties: { className: ['figure-label'] }, children: [{ type: 'text', value: `${value} ` }] }
  },
  sectionNumber(state: State, node: MdastNodes): Element {
    const value = (node as { value: string }).value
    const result: Element = { type: 'element', tagName: 'span', properties: { className: ['section-number'] }, children: [{ type: 'text', value }] }
    state.patch(node, result)
    return state.applyData(node, result)
  },
}

/** A note number in the text, linked to its note (DPUB-ARIA roles; EPUB adds epub:type from them). */
function noteReference(note: NoteLink): Element {
  return {
    type: 'element',
    tagName: 'sup',
    properties: { className: ['noteref'] },
    children: [
      { type: 'element', tagName: 'a', properties: { id: note.refId, href: `#${note.noteId}`, role: 'doc-noteref' }, children: [{ type: 'text', value: String(note.number) }] },
    ],
  }
}

/** A chapter's endnotes: numbered list, each note linking back to where it is called. */
function endnotesSection(state: State, node: Endnotes): Element {
  const items: ElementContent[] = node.notes.map((entry) => {
    const backlinks: ElementContent[] = entry.refIds.flatMap((refId, index) => [
      { type: 'text', value: ' ' },
      {
        type: 'element',
        tagName: 'a',
        properties: { href: `#${refId}`, className: ['note-backlink'], role: 'doc-backlink', ariaLabel: index === 0 ? node.backLabel : `${node.backLabel} (${index + 1})` },
        children: [{ type: 'text', value: index === 0 ? '↩\uFE0E' : `↩\uFE0E${index + 1}` }],
      },
    ])
    let content: ElementContent[]
    if (entry.definition) {
      content = state.all(entry.definition)
      const last = content.findLast((child): child is Element => child.type === 'element' && child.tagName === 'p')
      if (last) last.children.push(...backlinks)
      else content.push({ type: 'element', tagName: 'p', properties: {}, children: backlinks })
    } else {
      content = [{ type: 'element', tagName: 'p', properties: {}, children: [...(entry.hast ?? []), ...backlinks] }]
    }
    // No role: DPUB-ARIA 1.1 deprecates doc-endnote; a list item inside doc-endnotes is one.
    return { type: 'element', tagName: 'li', properties: { id: entry.id }, children: content }
  })
  return {
    type: 'element',
    tagName: 'section',
    properties: { id: node.id, className: ['endnotes'], role: 'doc-endnotes', ariaLabelledBy: [`${node.id}-title`] },
    children: [
      { type: 'element', tagName: 'h2', properties: { id: `${node.id}-title`, className: ['endnotes-title'] }, children: [{ type: 'text', value: node.title }] },
      { type: 'element', tagName: 'ol', properties: { className: ['endnotes-list'] }, children: items },
    ],
  }
}

/**
 * Parse raw HTML only in chapters that have some: rehype-raw re-reads the
 * whole tree through parse5, the costliest step of the pipeline otherwise.
 */
function rehypeRawIfNeeded() {
  const raw = rehypeRaw()
  return function (tree: HastRoot, file: VFile) {
    let found = false
    visit(tree, 'raw', () => {
      found = true
      return EXIT
    })
    return found ? raw(tree, file) : tree
  }
}

/** Build the HTML processor: mdast → hast, raw HTML parsed, checked and sanitized. */
export function createHtmlTransformer(config: Pick<ResolvedConfig, 'root'>) {
  return unified()
    // Footnotes are numbered with the chapter's notes by the citation resolver and placed by `endnotes`.
    .use(remarkRehype, { allowDangerousHtml: true, handlers })
    .use(rehypeNoteCallSeparators)
    .use(rehypeTaskCheckboxes)
    .use(rehypeRawIfNeeded)
    .use(rehypeLocalAssets, { root: config.root })
    // Sanitizes, and reports what it removed: after the assets check, which removes and reports bad sources itself.
    .use(rehypeUnsafeHtml, sanitizeSchema)
    .use(rehypeImageAltMissing)
    .use(rehypeEpigraph)
}
