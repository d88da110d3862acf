/**
 * The closed catalogue of diagnostics Quire reports, with default severities.
 * Every message Quire adds to a vfile goes through `report`, so the rule id,
 * severity and source are always set the same way.
 */
import type { Node, Point, Position } from 'unist'
import type { VFile } from 'vfile'
import type { Options, VFileMessage } from 'vfile-message'

export type Severity = 'error' | 'warning' | 'info'

export const rules = {
  'config-missing': { severity: 'warning', summary: 'No book.yaml: defaults are used.' },
  'config-syntax': { severity: 'error', summary: 'book.yaml is not valid YAML.' },
  'config-invalid': { severity: 'error', summary: 'A book.yaml key or value is not accepted.' },
  'front-matter-invalid': { severity: 'error', summary: 'A chapter front matter key or value is not accepted.' },
  'front-matter-unclosed': { severity: 'error', summary: 'A chapter front matter block opened by `---` and never closed.' },
  'chapter-missing': { severity: 'error', summary: 'A chapter listed in book.yaml does not exist.' },
  'chapter-file-name': { severity: 'error', summary: 'A Markdown file meant as a chapter but not named NN-slug.md, so not in the book.' },
  'chapter-file-ignored': { severity: 'warning', summary: 'A Markdown file that does not look like a chapter (notes.md, todo.md), left out of the book.' },
  'chapter-none': { severity: 'error', summary: 'The manuscript has no chapters.' },
  'chapter-title-guessed': { severity: 'info', summary: 'A chapter with no title: the title is guessed from the file name.' },
  'chapter-empty': { severity: 'warning', summary: 'A chapter with no text.' },
  'chapter-number-duplicate': { severity: 'error', summary: 'Two chapters with the same number.' },
  'chapter-role-misplaced': { severity: 'error', summary: 'Front matter (a preface, a dedication) after the first chapter, or a chapter after back matter (an appendix).' },
  'part-invalid': { severity: 'error', summary: 'A part of the book (book.yaml `parts:`, a chapter’s `part:`) that names no chapter, holds front or back matter, or overlaps another part.' },
  'chapter-too-large': { severity: 'error', summary: 'A chapter file too large to parse safely.' },
  'chapter-too-complex': { severity: 'error', summary: 'A paragraph with so many emphasis marks (`*`, `_`) that parsing it would take minutes.' },
  'chapter-outside': { severity: 'error', summary: 'A chapter file that is a link to a file outside the manuscript folder.' },
  'encoding-invalid': { severity: 'error', summary: 'A text file (chapter, book.yaml, bibliography) that is neither UTF-8 nor UTF-16 with a byte order mark.' },
  'nesting-too-deep': { severity: 'error', summary: 'Block quotes or lists nested too deeply to parse safely.' },
  'lazy-line': { severity: 'warning', summary: 'A line without `>` or indentation right after a quote, list item or footnote that ends mid-sentence: the block ends before it.' },
  'html-unclosed': { severity: 'warning', summary: 'A raw HTML element, comment or block that nothing closes.' },
  'section-number-mismatch': { severity: 'warning', summary: 'A numbered section line whose first number is not the chapter’s.' },
  'section-number-sequence': { severity: 'warning', summary: 'Numbered sections that skip, repeat or run backwards (7.1, 7.3).' },
  'asset-remote': { severity: 'error', summary: 'An image or media URL that would be fetched from the network.' },
  'asset-outside': { severity: 'error', summary: 'A local file outside the manuscript folder.' },
  'asset-missing': { severity: 'error', summary: 'A local image that does not exist.' },
  'asset-unsupported': { severity: 'error', summary: 'An image in a format EPUB reading systems cannot show (only JPEG, PNG, GIF and SVG).' },
  'asset-corrupt': { severity: 'error', summary: 'An image (or the cover) that does not decode: cut short, a bad checksum, an unreadable header, malformed SVG, or too many pixels to decode.' },
  'asset-unsafe-svg': { severity: 'error', summary: 'An SVG image holding what could run or fetch: a DOCTYPE or entity, a script, foreignObject, event attribute, processing instruction, @import, or a reference outside the file.' },
  'image-alt-missing': { severity: 'warning', summary: 'An image without alt text, which screen readers cannot describe.' },
  'character-invalid': { severity: 'error', summary: 'A character XML, and so the EPUB, cannot hold: a control character other than tab and line breaks, U+FFFE, U+FFFF.' },
  'glyph-missing': { severity: 'warning', summary: 'Characters no shipped font can draw (Chinese, Japanese, most symbols): the PDF shows an empty box.' },
  'cover-invalid': { severity: 'error', summary: 'The cover: image is missing, outside the manuscript, or not a JPEG or PNG.' },
  'unsafe-url': { severity: 'warning', summary: 'A link with a scheme that is not allowed (javascript:, file: …).' },
  'unsafe-html': { severity: 'warning', summary: 'Raw HTML that is removed (scripts, event handlers, frames, forms, styles).' },
  'bibliography-missing': { severity: 'error', summary: 'A bibliography file named in book.yaml does not exist.' },
  'bibliography-syntax': { severity: 'error', summary: 'A bibliography file that does not parse.' },
  'reference-invalid': { severity: 'error', summary: 'A reference without an id or a type.' },
  'reference-duplicate': { severity: 'error', summary: 'Two references with the same key, in one file or across files.' },
  'reference-uncited': { severity: 'warning', summary: 'A reference in the bibliography that nothing cites.' },
  'citation-style-unknown': { severity: 'error', summary: 'A citation-style that is neither a known CSL style nor a readable .csl file.' },
  'citation-unmapped': { severity: 'error', summary: 'A [citation N] marker with no entry in the chapter’s citations: front matter.' },
  'citation-key-unknown': { severity: 'error', summary: 'A citation key that is not in the bibliography.' },
  'attribute-unknown': { severity: 'warning', summary: 'Braces after a link or [words] that Quire does not read ({.page} and {.index …} it does): left as text.' },
  'index-term-variant': { severity: 'warning', summary: 'An index term used once, spelt almost like another ("Kim Il-sung" and "Kim Il Sung"): the index would list both.' },
  'citation-marker-sequence': { severity: 'warning', summary: 'Chapter markers that skip or repeat a number ([citation 1], [citation 2], [citation 4]).' },
  'link-file-missing': { severity: 'error', summary: 'A link to a local file that does not exist.' },
  'link-target-unknown': { severity: 'error', summary: 'A cross-reference (#id or chapter.md#id) to an id no chapter defines, or a link to a file that is not a chapter.' },
  'residue-hashtags': { severity: 'warning', summary: 'A run of hashtags or cashtags pasted from the web (#Topic $TICK #Other).' },
  'residue-share-line': { severity: 'warning', summary: 'A “share this”, “follow us” or “click here” line pasted from a web page.' },
  'residue-tracking': { severity: 'warning', summary: 'Tracking parameters in a URL (utm_source, fbclid …).' },
  'residue-entity': { severity: 'warning', summary: 'An HTML entity written as text (&nbsp;, &amp;#8217;).' },
  'residue-emoji': { severity: 'warning', summary: 'Emoji pasted with the text (no shipped font draws them).' },
  'placeholder': { severity: 'error', summary: 'A placeholder left in the text: TK, XX, ???, [citation ?].' },
  'number-zeroed': { severity: 'warning', summary: 'A number written only as zeros in a count (000 million, 0,000 people).' },
  'unit-number-missing': { severity: 'warning', summary: 'A unit with its number missing (rose by percent, $ million).' },
  'quotes-straight-html': { severity: 'warning', summary: 'Straight quotes in the text of raw HTML, which typography leaves alone.' },
  'spaces-doubled': { severity: 'info', summary: 'Two or more spaces between words.' },
  'space-before-punctuation': { severity: 'warning', summary: 'A space before a comma, full stop or other punctuation.' },
  'blank-lines-run': { severity: 'info', summary: 'Three or more blank lines in a row.' },
  'dateline-lowercase': { severity: 'warning', summary: 'A scene whose text after its dateline starts in lower case.' },
  'print-file-missing': { severity: 'error', summary: '`check --print`: the print file or the cover a preset asks for has not been built.' },
  'print-file-unreadable': { severity: 'error', summary: 'A print file or cover that is not a PDF Quire can read (cut short, damaged, encrypted).' },
  'print-cover-text': { severity: 'error', summary: 'Cover text that does not fit where it goes: the back cover’s text into the barcode box or past its panel, the spine’s past its folds or its length.' },
  'print-page-count': { severity: 'error', summary: 'An interior with fewer or more pages than the store prints.' },
  'print-page-size': { severity: 'error', summary: 'Interior pages that are not the trim size (plus the bleed, when on).' },
  'print-margin': { severity: 'error', summary: 'Text or an image closer to a page’s edge than the store allows: the inside margin by page count, the others its least.' },
  'print-trim-edge': { severity: 'error', summary: 'Text or an image within 0.125 in of the trim line or across it, which the cut may take off (images that bleed excepted).' },
  'print-font-embedded': { severity: 'error', summary: 'A font used without its program embedded: the printer would substitute another.' },
  'print-annotations': { severity: 'error', summary: 'Links, comments or other annotations, or bookmarks, in a file for the printer.' },
  'print-transparency': { severity: 'warning', summary: 'Transparency (opacity, soft masks, blend modes) the store asks to have flattened.' },
  'print-color-rgb': { severity: 'warning', summary: 'RGB images or colours in a file for a store that asks for CMYK.' },
  'print-pdfx': { severity: 'warning', summary: 'A store that asks for PDF/X-1a gets plain PDF (Ghostscript is not installed, or its file does not say PDF/X-1a).' },
  'print-cover-size': { severity: 'error', summary: 'A cover whose size is off by more than 1/16 in from 2 × trim + spine + bleed for the interior’s page count.' },
  'ignore-unused': { severity: 'warning', summary: 'A quire-ignore comment that silenced nothing.' },
  'ignore-unknown-rule': { severity: 'warning', summary: 'A quire-ignore comment naming a rule that does not exist.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>

export type RuleId = keyof typeof rules

/** Where a message points: a node, a position or a point. */
export type Place = Node | Position | Point | undefined

/**
 * A mechanical repair of the source: replace the text between two offsets of
 * `file.value` with `text`. `check --fix` applies it; nothing else changes.
 */
export interface Fix {
  start: number
  end: number
  text: string
  /** What the fix does, in a few words ("collapsed to one space"). */
  description: string
}

declare module 'vfile-message' {
  interface VFileMessage {
    /** Set by rules whose problem has a safe mechanical fix. */
    fix?: Fix
    /** For a message about a PDF (the preflight): the page, counted from 1. */
    page?: number
  }
}

/** Add a message for `ruleId` to `file` with the rule's severity. */
export function report(file: VFile, ruleId: RuleId, reason: string, place?: Place, cause?: Error): VFileMessage {
  const where = place && 'type' in place ? place.position : place
  const options: Options = { ruleId, source: 'quire' }
  if (where) options.place = where
  if (cause) options.cause = cause
  const message = file.message(reason, options)
  message.fatal = toFatal(rules[ruleId].severity)
  return message
}

function toFatal(severity: Severity): boolean | undefined {
  return severity === 'error' ? true : severity === 'warning' ? false : undefined
}

/** The severity of a message as vfile encodes it in `fatal`. */
export function severityOf(message: VFileMessage): Severity {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
}

/** How many of the files' messages are errors. */
export function countErrors(files: VFile[]): number {
  return files.reduce((count, file) => count + file.messages.filter((message) => severityOf(message) === 'error').length, 0)
}

/**
 * Apply book.yaml's `checks:` to every message: a rule set to `off` is
 * removed, any other setting becomes the message's severity.
 */
export function applyRuleSettings(files: VFile[], settings: Partial<Record<RuleId, 'off' | Severity>>): void {
  if (Object.keys(settings).length === 0) return
  for (const file of files) {
    file.messages = file.messages.filter((message) => {
      const setting = message.ruleId ? settings[message.ruleId as RuleId] : undefined
      if (setting === undefined) return true
      if (setting === 'off') return false
      message.fatal = toFatal(setting)
      return true
    })
  }
}
