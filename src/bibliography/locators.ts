/**
 * Split a locator as authors write it (`p. 33`, `chap. 4`, `sec. 14.34`,
 * `33–35, emphasis added`) into the CSL label, the locator proper and a
 * suffix, so the style prints its own label ("p." in Chicago, "p." or "pp."
 * in APA, "S." in German).
 */

/** What a citation item needs from a locator string. */
export interface ParsedLocator {
  label?: string
  locator?: string
  suffix?: string
}

const labels: [RegExp, string][] = [
  [/^(?:pp?|pages?|pg)$/i, 'page'],
  [/^(?:chaps?|chs?|chapters?)$/i, 'chapter'],
  [/^(?:secs?|sections?|§§?)$/i, 'section'],
  [/^(?:paras?|paragraphs?|¶¶?)$/i, 'paragraph'],
  [/^(?:figs?|figures?)$/i, 'figure'],
  [/^(?:nn?|notes?)$/i, 'note'],
  [/^(?:vols?|volumes?)$/i, 'volume'],
  [/^(?:ll?|lines?)$/i, 'line'],
  [/^(?:cols?|columns?)$/i, 'column'],
  [/^(?:bk|books?)$/i, 'book'],
  [/^(?:pts?|parts?)$/i, 'part'],
  [/^(?:nos?|numbers?|issues?)$/i, 'issue'],
  [/^(?:vv?|verses?)$/i, 'verse'],
  [/^(?:tbl|tables?)$/i, 'table'],
  [/^(?:apps?|appendix|appendices)$/i, 'appendix'],
  [/^s\.\s?v$/i, 'sub-verbo'],
]

/** One locator value: 33, xiv, 5.2.1, 12a, 4:17; several joined by ranges, commas or "and". */
const value = String.raw`(?:\d+(?:[.:]\d+)*[a-z]?|[ivxlcdm]+|[IVXLCDM]+)`
const values = new RegExp(String.raw`^(${value}(?:\s*(?:[-–—]|,|&|and)\s*${value})*)(.*)$`, 'u')
const labelled = /^(s\.\s?v|[§¶]{1,2}|[A-Za-z]+)\.?\s*(.*)$/su

/** Parse a locator string; text that is no locator becomes a suffix. */
export function parseLocator(text: string | undefined): ParsedLocator {
  const trimmed = text?.trim()
  if (!trimmed) return {}
  const bare = values.exec(trimmed)
  if (bare && /^\d/.test(trimmed)) return withRest({ label: 'page', locator: bare[1]! }, bare[2]!)
  const match = labelled.exec(trimmed)
  const label = match && labels.find(([pattern]) => pattern.test(match[1]!))?.[1]
  const rest = match?.[2] ? values.exec(match[2]) : undefined
  if (label && rest) return withRest({ label, locator: rest[1]! }, rest[2]!)
  return { suffix: trimmed.startsWith(',') ? trimmed : `, ${trimmed}` }
}

function withRest(parsed: ParsedLocator, rest: string): ParsedLocator {
  const tail = rest.trim()
  // A value list may end on a comma that begins a suffix ("33, emphasis added").
  return tail ? { ...parsed, suffix: tail.startsWith(',') ? tail : `, ${tail}` } : parsed
}
