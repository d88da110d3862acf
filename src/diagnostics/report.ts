/** Diagnostics out: vfile-reporter text for people, JSON for tools. */
import { reporter } from 'vfile-reporter'
import { VFile } from 'vfile'
import { severityOf, type Severity } from './rules.ts'

export interface Diagnostic {
  file: string
  line: number | null
  column: number | null
  endLine: number | null
  endColumn: number | null
  /** For a PDF's messages (the preflight): the page, counted from 1. */
  page: number | null
  ruleId: string | null
  severity: Severity
  message: string
}

/** Every message of `files` as plain records, in file then position order. */
export function toDiagnostics(files: VFile[]): Diagnostic[] {
  return files.flatMap((file) =>
    [...file.messages]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.page ?? 0) - (b.page ?? 0))
      .map((message) => ({
        file: file.path,
        line: message.line ?? null,
        column: message.column ?? null,
        endLine: message.place && 'end' in message.place ? message.place.end.line : null,
        endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
        page: message.page ?? null,
        ruleId: message.ruleId ?? null,
        severity: severityOf(message),
        message: message.reason,
      })),
  )
}

/**
 * Text report grouped by file, in the order of `files` (book.yaml, the
 * bibliography, the chapters), so a root cause comes before what follows
 * from it; `minimum` hides less severe messages.
 */
export function formatText(files: VFile[], options: { minimum?: Severity; color?: boolean } = {}): string {
  const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 }
  const minimum = rank[options.minimum ?? 'info']
  const shown = files
    .map((file, index) => {
      const copy = new VFile({ path: file.path, cwd: file.cwd })
      // vfile-reporter sorts files by their current path and prints the first one in their history.
      copy.path = String(index).padStart(6, '0')
      copy.messages = file.messages.filter((message) => rank[severityOf(message)] >= minimum)
      return copy
    })
    .filter((file) => file.messages.length > 0)
  if (shown.length === 0) return ''
  return reporter(shown, { color: options.color ?? false, verbose: false })
}
