/**
 * Where a YAML syntax error is, for book.yaml and chapter front matter alike.
 * The parser notices an unclosed quote or bracket only where the text runs
 * out (the next key, the end of the block); the author needs the opening one.
 */
import { Parser, visit, type Document, type YAMLError } from 'yaml'

/** Token types whose `source` opens with a quote that must be closed. */
const quoted = new Set(['double-quoted-scalar', 'single-quoted-scalar'])

/** The offset in `text` of the mistake `error` reports: its own, or the unclosed quote or bracket it comes from. */
export function yamlErrorOffset(text: string, error: YAMLError): number {
  const at = error.pos[0]
  if (!/closing|end with/.test(error.message)) return at
  let opener: number | undefined
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item)
      return
    }
    if (typeof value !== 'object' || value === null) return
    const token = value as { type?: string; offset?: number; source?: string; start?: { offset?: number }; end?: { type?: string }[] }
    if (token.offset !== undefined && token.offset <= at && isUnclosed(token)) {
      const offset = token.type === 'flow-collection' ? (token.start?.offset ?? token.offset) : token.offset
      // The innermost (latest) opener before the error is the one left open.
      if (opener === undefined || offset > opener) opener = offset
    }
    for (const child of Object.values(value)) if (typeof child === 'object') walk(child)
  }
  for (const token of new Parser().parse(text)) walk(token)
  return opener ?? at
}

function isUnclosed(token: { type?: string; source?: string; end?: { type?: string }[] }): boolean {
  if (token.type === 'flow-collection') return !(token.end ?? []).some((end) => end.type === 'flow-map-end' || end.type === 'flow-seq-end')
  if (!token.type || !quoted.has(token.type) || token.source === undefined) return false
  const body = token.source.slice(1)
  if (token.type === 'single-quoted-scalar') return !body.replace(/''/g, '').endsWith("'")
  // A closing `"` is one not escaped by an odd run of backslashes.
  return !/(^|[^\\])(\\\\)*"$/.test(body)
}

/**
 * `doc.toJS()`, or where and why it cannot be: aliases that expand to too
 * many values (a "billion laughs" bomb, which the parser refuses rather than
 * exhaust memory) or an alias that names no anchor. Either is thrown by the
 * parser, not listed in `doc.errors`.
 */
export function yamlToJs(doc: Document): { ok: true; value: unknown } | { ok: false; offset: number; reason: string } {
  try {
    return { ok: true, value: doc.toJS() }
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    const unresolved = /^Unresolved alias.*: (.*)$/.exec(error.message)?.[1]
    let offset = 0
    visit(doc, {
      Alias(_, node) {
        if (unresolved !== undefined && node.source !== unresolved) return undefined
        offset = node.range?.[0] ?? 0
        return visit.BREAK
      },
    })
    const reason =
      unresolved === undefined
        ? 'its aliases (`*name`) expand to too many values, as a YAML bomb does; write the values out instead of repeating aliases'
        : `the alias \`*${unresolved}\` names no anchor: define \`&${unresolved}\` before it, or write the value out`
    return { ok: false, offset, reason }
  }
}
