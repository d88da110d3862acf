/**
 * `check --fix`: gather the safe fixes the rules attached to their messages
 * and apply them to a chapter's source text. Fixes never overlap: where two
 * would touch the same characters, the first wins and the other problem is
 * reported again after the fix.
 */
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import type { Fix } from '../diagnostics/rules.ts'

export interface PlannedFix extends Fix {
  ruleId: string
  line: number
  column: number
}

/** The fixes of `file`'s messages, in source order, without overlaps. */
export function planFixes(file: VFile): PlannedFix[] {
  const candidates = file.messages
    .filter((message): message is VFileMessage & { fix: Fix } => message.fix !== undefined)
    .map((message) => ({ ...message.fix, ruleId: message.ruleId ?? '', line: message.line ?? 0, column: message.column ?? 0 }))
    .sort((a, b) => a.start - b.start || a.end - b.end)
  const planned: PlannedFix[] = []
  for (const fix of candidates) {
    const last = planned.at(-1)
    if (last && (fix.start < last.end || (fix.start === last.start && fix.end === last.end))) continue
    planned.push(fix)
  }
  return planned
}

/** `text` with `fixes` (offsets into `text`, in order, not overlapping) applied. */
export function applyFixes(text: string, fixes: Fix[]): string {
  let out = ''
  let at = 0
  for (const fix of fixes) {
    out += text.slice(at, fix.start) + fix.text
    at = fix.end
  }
  return out + text.slice(at)
}
