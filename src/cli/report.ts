/** Diagnostics out: vfile-reporter text for people, JSON for tools. */
import { reporter } from 'vfile-reporter'
import { VFile } from 'vfile'
import path from 'node:path'
import { severityOf, type Severity } from '../diagnostics/rules.ts'
import type { FixedFile } from '../write/fix-sources.ts'

export interface Diagnostic {
  file: string
  line: number | null
  column: number | null
  endLine: number | null
  endColumn: number | null
  ruleId: string | null
  severity: Severity
  message: string
}

/** Every message of `files` as plain records, in file then position order. */
export function toDiagnostics(files: VFile[]): Diagnostic[] {
  return files.flatMap((file) =>
    [...file.messages]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .map((message) => ({
        file: file.path,
        line: message.line ?? null,
        column: message.column ?? null,
        endLine: message.place && 'end' in message.place ? message.place.end.line : null,
        endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
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

/** What `check --fix` changed, one line per fix, then a summary. */
export function describeFixes(fixed: FixedFile[], cwd: string): string {
  const lines: string[] = []
  let count = 0
  for (const entry of fixed) {
    if (entry.skipped) {
      lines.push(`${entry.path}: not fixed: ${entry.skipped}`)
      continue
    }
    for (const fix of entry.fixes) lines.push(`${entry.path}:${fix.line}:${fix.column}: fixed ${fix.ruleId}: ${fix.description}`)
    count += entry.fixes.length
    if (entry.backup) lines.push(`${entry.path}: original kept as ${path.relative(cwd, entry.backup)}`)
  }
  const files = new Set(fixed.filter((entry) => entry.fixes.length > 0).map((entry) => entry.path)).size
  lines.push(count === 0 ? 'quire: nothing to fix' : `quire: fixed ${count} problem${count === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`)
  return lines.join('\n') + '\n'
}
