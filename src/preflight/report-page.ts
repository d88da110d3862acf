/** A preflight message about one page of a PDF: the page in the text, for people, and as data, for tools. */
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { report, type RuleId } from '../diagnostics/rules.ts'

/** Points to inches, as a message shows them: "0.20 in", "0.375 in" (the stores' own figures keep their third digit). */
export function inches(points: number): string {
  return `${(points / 72).toFixed(3).replace(/(\.\d\d)0$/, '$1')} in`
}

export function reportPage(file: VFile, ruleId: RuleId, page: number | undefined, reason: string): VFileMessage {
  const message = report(file, ruleId, page === undefined ? reason : `Page ${page}: ${reason}`)
  if (page !== undefined) message.page = page
  return message
}

/**
 * Report the pages a problem is on, the first few each with its own
 * message and the rest as one: a margin set wrong is on every page, and a
 * report of 300 lines hides everything else.
 */
export function reportPages(file: VFile, ruleId: RuleId, found: { page: number; reason: string }[], limit = 5): void {
  for (const { page, reason } of found.slice(0, limit)) reportPage(file, ruleId, page, reason)
  const rest = found.slice(limit)
  if (rest.length > 0) reportPage(file, ruleId, rest[0]!.page, `the same on ${rest.length} more page${rest.length === 1 ? '' : 's'}: ${rest.map((entry) => entry.page).join(', ')}`)
}
