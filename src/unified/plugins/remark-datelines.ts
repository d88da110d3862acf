/**
 * Opening vignettes. A paragraph that begins "Place, Month YYYY." opens a
 * scene: the dateline becomes its own run-in element (small caps in print),
 * a scene break goes between scenes, and a section break between the last
 * scene and the section heading that follows it.
 */
import type { Paragraph, Root, RootContent, Text, ThematicBreak } from 'mdast'
import type { VFile } from 'vfile'

const englishMonths = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
]
const englishSeasons = ['Spring', 'Summer', 'Autumn', 'Fall', 'Winter', 'Christmas', 'Easter']

/** Month names in the book's language (from ICU) as well as English, both capitalized and as written. */
function monthNames(language: string): string[] {
  const names = new Set([...englishMonths, ...englishSeasons])
  try {
    const format = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' })
    for (let month = 0; month < 12; month++) {
      const name = format.format(new Date(Date.UTC(2000, month, 15)))
      names.add(name)
      names.add(name.charAt(0).toLocaleUpperCase(language) + name.slice(1))
    }
  } catch {
    // An unknown language tag: English names only.
  }
  return [...names].sort((a, b) => b.length - a.length)
}

const word = String.raw`[\p{L}\p{M}'’.\-]+`
const placePart = String.raw`\p{Lu}[\p{L}\p{M}'’.\-]*(?:[ ]${word}){0,4}`

/** Build the dateline pattern for a language. Exported for `check`. */
export function datelinePattern(language: string): RegExp {
  const months = monthNames(language).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
  const date = String.raw`(?:(?:Early|Late|Mid-?)\s+)?(?:\d{1,2}\.?\s+)?(?:${months})(?:\s+\d{1,2},?)?\s+\d{3,4}`
  return new RegExp(String.raw`^(${placePart}(?:,[ ]${placePart}){0,2},[ ]${date}\.)(?=\s|$)`, 'u')
}

/** Mark datelines and put breaks around scenes. */
export function remarkDatelines() {
  const patterns = new Map<string, RegExp>()
  return function (tree: Root, file: VFile) {
    const language = file.data.chapterFile?.language ?? 'en'
    let pattern = patterns.get(language)
    if (!pattern) patterns.set(language, (pattern = datelinePattern(language)))

    const out: RootContent[] = []
    let inScene = false
    for (const node of tree.children) {
      const previous = out.at(-1)
      const afterBreak = !previous || previous.type === 'heading' || previous.type === 'thematicBreak'
      if (node.type === 'paragraph' && splitDateline(node, pattern)) {
        if (previous?.type === 'thematicBreak') setClass(previous, 'scene-break')
        else if (!afterBreak) out.push(rule('scene-break'))
        inScene = true
      } else if (node.type === 'heading' && inScene) {
        if (previous?.type === 'thematicBreak') setClass(previous, 'section-break')
        else if (!afterBreak) out.push(rule('section-break'))
        inScene = false
      }
      out.push(node)
    }
    tree.children = out
  }
}

/** If the paragraph opens with a dateline, wrap it in a `dateline` node. */
function splitDateline(paragraph: Paragraph, pattern: RegExp): boolean {
  const first = paragraph.children[0]
  if (!first || first.type !== 'text') return false
  const match = pattern.exec(first.value)
  if (!match) return false
  const dateline = match[1]!
  const rest = first.value.slice(dateline.length).replace(/^[ \t]+/, '')
  const start = first.position?.start
  const datelineText: Text = { type: 'text', value: dateline }
  if (start) {
    const end = { line: start.line, column: start.column + dateline.length, ...(start.offset === undefined ? {} : { offset: start.offset + dateline.length }) }
    datelineText.position = { start, end }
  }
  const children: Paragraph['children'] = [{ type: 'dateline', children: [datelineText], ...(datelineText.position ? { position: datelineText.position } : {}) }]
  if (rest) children.push({ type: 'text', value: ' ' }, { ...first, value: rest, ...(first.position ? { position: { start: shift(first.position.start, first.value.length - rest.length), end: first.position.end } } : {}) })
  children.push(...paragraph.children.slice(1))
  paragraph.children = children
  setClass(paragraph, 'scene-opening')
  return true
}

function shift(point: { line: number; column: number; offset?: number | undefined }, by: number) {
  return { line: point.line, column: point.column + by, ...(point.offset === undefined ? {} : { offset: point.offset + by }) }
}

function rule(className: string): ThematicBreak {
  return { type: 'thematicBreak', data: { hProperties: { className: [className] } } }
}

function setClass(node: Paragraph | ThematicBreak, className: string): void {
  const data = (node.data ??= {})
  data.hProperties = { ...data.hProperties, className: [className] }
}
