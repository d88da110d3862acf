/**
 * A deterministic benchmark manuscript with what real ones have: chapters
 * written one paragraph per line and chapters with blank lines between
 * paragraphs, numbered section lines (about eight per chapter), dateline
 * vignettes, `[citation N]` markers mapped in front matter (about one per
 * paragraph) and `[@key]` citations, a bibliography of several hundred
 * entries, curly and straight quotes, and some Cyrillic and Korean words.
 * Same seed, same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

export interface CorpusOptions {
  chapters: number
  /** Words per chapter. */
  words: number
  /** Bibliography entries (default: 400). */
  references?: number
  seed?: number
}

/** mulberry32: a small, fast, seeded generator. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const VOCABULARY = (
  'the of and to in a that was for on as with by his it at from were which this had be their an not or they its but have been who are one all after also new more would there first other when into two only over government minister war years city between during could most against people state party time ' +
  'archive telegram embassy treaty council negotiation reconstruction harbour frontier correspondence memorandum delegation conference republic ministry occupation currency blockade airlift election parliament coalition resistance alliance settlement industry railway shipyard province refugee ' +
  'winter spring autumn summer morning evening afternoon night letter report cable diary notebook newspaper pamphlet speech broadcast interview photograph map ledger decree statute census'
).split(' ')
const PLACES = ['Vienna', 'Berlin', 'Warsaw', 'Prague', 'Trieste', 'Budapest', 'Geneva', 'Lisbon', 'Odessa', 'Seoul', 'Helsinki', 'Sofia']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const FOREIGN = ['книга', 'правда', 'совет', 'город', '서울', '책', '역사', '바다']
const SURNAMES = ['Kennan', 'Judt', 'Applebaum', 'Gaddis', 'Hobsbawm', 'Snyder', 'Mazower', 'Zubok', 'Westad', 'Leffler', 'Taubman', 'Sebestyen', 'Kotkin', 'Fitzpatrick', 'Service', 'Kramer', 'Trachtenberg', 'Lundestad']
const GIVEN = ['Anna', 'George', 'Tony', 'Timothy', 'Mark', 'Odd Arne', 'Melvyn', 'William', 'Victor', 'Sheila', 'Robert', 'Marc', 'Geir', 'Eric', 'Mary']
const TITLE_WORDS = ['Postwar', 'Iron', 'Curtain', 'Cold', 'Peace', 'Europe', 'Empire', 'Failed', 'Containment', 'Strategies', 'Bloodlands', 'Dark', 'Continent', 'Global', 'History', 'Crisis', 'Berlin', 'Wall', 'Power', 'Preponderance']

/** Write the corpus into `dir` (which it fills; existing files are overwritten). */
export async function writeCorpus(dir: string, options: CorpusOptions): Promise<{ words: number; files: number }> {
  const next = random(options.seed ?? 1961)
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!
  const count = options.references ?? 400
  await mkdir(dir, { recursive: true })
  const keys: string[] = []
  const references = Array.from({ length: count }, (_, index) => {
    const family = pick(SURNAMES)
    const year = 1946 + Math.floor(next() * 75)
    const key = `${family.toLowerCase().replace(/\W/g, '')}${year}${String.fromCharCode(97 + (index % 26))}${index}`
    keys.push(key)
    const title = Array.from({ length: 2 + Math.floor(next() * 4) }, () => pick(TITLE_WORDS)).join(' ')
    const author = [{ family, given: pick(GIVEN) }]
    return next() < 0.7
      ? { id: key, type: 'book', title, author, publisher: pick(['Penguin', 'Yale University Press', 'Oxford University Press', 'Basic Books']), 'publisher-place': pick(['London', 'New Haven', 'Oxford', 'New York']), issued: { 'date-parts': [[year]] } }
      : { id: key, type: 'article-journal', title, author, 'container-title': pick(['Cold War History', 'Diplomatic History', 'Journal of Modern History']), volume: String(1 + Math.floor(next() * 40)), page: `${10 + Math.floor(next() * 200)}-${220 + Math.floor(next() * 50)}`, issued: { 'date-parts': [[year]] } }
  })
  await writeFile(path.join(dir, 'references.json'), JSON.stringify(references, null, 1) + '\n')
  await writeFile(
    path.join(dir, 'book.yaml'),
    ['title: The Long Century', 'subtitle: A Benchmark History in Many Chapters', 'author: Quire Bench', 'language: en', 'date: 2026-01-01', 'bibliography: references.json', 'citation-style: chicago-notes-bibliography', 'trim: 6x9in', 'slug: long-century', ''].join('\n'),
  )

  let total = 0
  const sentence = (words: number): string => {
    const out: string[] = []
    for (let index = 0; index < words; index++) {
      const roll = next()
      out.push(roll < 0.015 ? pick(FOREIGN) : roll < 0.03 ? `"${pick(VOCABULARY)} ${pick(VOCABULARY)}"` : roll < 0.04 ? `“${pick(VOCABULARY)}”` : pick(VOCABULARY))
    }
    total += words
    const text = out.join(' ')
    return text[0]!.toUpperCase() + text.slice(1) + '.'
  }
  const paragraph = (words: number): string => {
    const parts: string[] = []
    let left = words
    while (left > 0) {
      const length = Math.min(left, 12 + Math.floor(next() * 16))
      parts.push(sentence(length))
      left -= length
    }
    return parts.join(' ')
  }

  for (let chapter = 1; chapter <= options.chapters; chapter++) {
    const lines = next() < 0.5 // one paragraph per line, or blank lines between
    const paragraphs = Math.max(4, Math.round(options.words / 95))
    const citations: string[] = []
    let marker = 0
    const body: string[] = []
    // The opening vignette: two datelined paragraphs, a scene each.
    for (let scene = 0; scene < 2; scene++) {
      body.push(`${pick(PLACES)}, ${pick(MONTHS)} ${1945 + Math.floor(next() * 50)}. ${paragraph(70)}`)
    }
    const sectionEvery = Math.max(1, Math.floor(paragraphs / 8))
    let section = 0
    for (let index = 0; index < paragraphs - 2; index++) {
      if (index % sectionEvery === 0 && section < 8) {
        section++
        body.push(`${chapter}.${section} ${pick(TITLE_WORDS)} and ${pick(TITLE_WORDS)}`)
        total += 3
      }
      let text = paragraph(85 + Math.floor(next() * 20))
      if (next() < 0.85) {
        marker++
        const key = pick(keys)
        citations.push(next() < 0.3 ? `  ${marker}: { key: ${key}, locator: "${10 + Math.floor(next() * 300)}" }` : `  ${marker}: ${key}`)
        text = text.replace(/\.$/, ` [citation ${marker}].`)
      }
      if (next() < 0.15) text = text.replace(/\.$/, ` [@${pick(keys)}, p. ${1 + Math.floor(next() * 400)}].`)
      body.push(text)
    }
    const front = ['---', `title: ${pick(TITLE_WORDS)} ${pick(['of', 'and', 'after'])} the ${pick(TITLE_WORDS)}`, `number: ${chapter}`, ...(citations.length ? ['citations:', ...citations] : []), '---', '']
    const name = `${String(chapter).padStart(2, '0')}-chapter-${chapter}.md`
    await writeFile(path.join(dir, name), front.join('\n') + body.join(lines ? '\n' : '\n\n') + '\n')
  }
  return { words: total, files: options.chapters + 2 }
}
