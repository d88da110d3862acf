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
  'chapter-missing': { severity: 'error', summary: 'A chapter listed in book.yaml does not exist.' },
  'chapter-file-ignored': { severity: 'warning', summary: 'A Markdown file that is not a chapter (no NN- prefix).' },
  'chapter-none': { severity: 'error', summary: 'The manuscript has no chapters.' },
  'chapter-title-guessed': { severity: 'info', summary: 'A chapter title taken from the file name.' },
  'chapter-too-large': { severity: 'error', summary: 'A chapter file too large to parse safely.' },
  'nesting-too-deep': { severity: 'error', summary: 'Block quotes or lists nested too deeply to parse safely.' },
  'section-number-mismatch': { severity: 'warning', summary: 'A numbered section line whose first number is not the chapter’s.' },
  'asset-remote': { severity: 'error', summary: 'An image or media URL that would be fetched from the network.' },
  'asset-outside': { severity: 'error', summary: 'A local file outside the manuscript folder.' },
  'asset-missing': { severity: 'error', summary: 'A local image that does not exist.' },
  'asset-unsupported': { severity: 'error', summary: 'An image in a format EPUB reading systems cannot show (only JPEG, PNG, GIF and SVG).' },
  'image-alt-missing': { severity: 'warning', summary: 'An image without alt text, which screen readers cannot describe.' },
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
  'citation-marker-sequence': { severity: 'warning', summary: 'Chapter markers that skip or repeat a number ([citation 1], [citation 2], [citation 4]).' },
} as const satisfies Record<string, { severity: Severity; summary: string }>

export type RuleId = keyof typeof rules

/** Where a message points: a node, a position or a point. */
export type Place = Node | Position | Point | undefined

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
