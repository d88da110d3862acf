/**
 * Differential test of the two ways a batch of citations is formatted:
 * cluster by cluster with the positions Quire computes (what a build does
 * when nothing is ambiguous) and citeproc's own batch
 * (`rebuildProcessorState`, what it did before). A long book from the
 * benchmark's generator, plus clusters it never writes (Ibid. runs, Ibid.
 * with locators, one work twice in a note, several citations in one note,
 * near and far notes, works cited alike), in three styles: every citation
 * must read the same both ways, and each batch must take the way expected.
 */
import type { XmlJson } from 'citeproc'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { writeCorpus } from '../bench/corpus.ts'
import { createCiteproc, type CiteCluster, type CiteItem, type FormatMethod } from '../src/bibliography/engine.ts'
import { parseLocator } from '../src/bibliography/locators.ts'
import { bundledStyle, localeFor, type CslStyle } from '../src/bibliography/styles.ts'
import type { CslItem } from '../src/bibliography/types.ts'

/**
 * Six chapters of 8,000 words (about 80 corpus citations each, 50 more added
 * here): chapters as long as the benchmark's, which is what a note style's
 * batch costs; and an author-date book of about 800 citations, which its
 * batch costs quadratically. 20–25 s of CPU (user time), so about that on two
 * idle cores.
 */
const CHAPTERS = 6
const WORDS = 8000
/** Chapters (1-based) where a work and its twin (same author, same title) are both cited: Chicago's short notes read alike. */
const TWIN_CHAPTERS = [2, 5]

/**
 * Citations whose text differs between the two ways, each with its reason:
 * asserted exactly, so a new difference fails. None are known.
 */
const KNOWN_DIFFERENCES: Record<string, { id: string; reason: string }[]> = {
  'chicago-notes-bibliography': [],
  'chicago-author-date': [],
  apa: [],
}

type References = Map<string, { item: CslItem }>

let dir: string
let corpusItems: CslItem[]
/** Each chapter's clusters as resolve makes them for a note style: one note per citation, numbered from 1. */
let chapters: CiteCluster[][]

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-cite-diff-'))
  await writeCorpus(dir, { chapters: CHAPTERS, words: WORDS })
  corpusItems = JSON.parse(await readFile(path.join(dir, 'references.json'), 'utf8')) as CslItem[]
  const files = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort()
  chapters = await Promise.all(files.map(async (name, index) => withPatterns(corpusClusters(await readFile(path.join(dir, name), 'utf8'), index + 1), index + 1)))
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('Chicago notes: every note reads the same cluster by cluster as in citeproc’s batch; chapters citing works alike take the batch', () => {
  const references = referencesOf([...corpusItems, ...twinsOf(corpusItems, 'title')])
  const { differences, methods, reasons } = compare('chicago-notes-bibliography', references, chapters)
  assertKnown(differences, 'chicago-notes-bibliography')
  // A chapter citing either twin takes the batch, though the other be in another chapter: works are checked across the book.
  const twinned = new Set(chapters.flat().flatMap((cluster) => cluster.items.filter((item) => item.key.endsWith('-twin')).flatMap((item) => [item.key, item.key.slice(0, -'-twin'.length)])))
  assert.deepEqual(
    methods,
    chapters.map((clusters) => (clusters.some((cluster) => cluster.items.some((item) => twinned.has(item.key))) ? 'batch' : 'clusters')),
  )
  assert.ok(methods.filter((method) => method === 'clusters').length >= CHAPTERS / 2)
  for (const reason of reasons.filter(Boolean)) assert.match(reason, /-twin are cited alike/)
})

test('a variant of Chicago notes that prints near-note, far-note and the first note number (near-note distance 3) reads the same both ways', () => {
  const chicago = bundledStyle('chicago-notes-bibliography')!
  const references = referencesOf(corpusItems)
  const book = chapters.map((clusters) => clusters.filter((cluster) => !cluster.items.some((item) => item.key.endsWith('-twin'))))
  const { differences, methods, html } = compare({ ...chicago, id: 'chicago-near-note', style: withNearNote(chicago.style) }, references, book)
  assert.deepEqual(differences.map(({ id }) => id), [], differences.map(({ id, clusters, batch }) => `${id}\n  clusters: ${clusters}\n  batch:    ${batch}`).join('\n'))
  assert.deepEqual(new Set(methods), new Set(['clusters']))
  const texts = [...html.values()].join('\n')
  for (const mark of ['[near] ', '[far] ', '[n. ']) assert.ok(texts.includes(mark), mark)
})

test('Chicago notes: a batch whose note numbers start again (three chapters run together) reads the same both ways', () => {
  const references = referencesOf(corpusItems)
  const together = chapters.slice(0, 3).flat()
  const { differences, methods } = compare('chicago-notes-bibliography', references, [together.filter((cluster) => !cluster.items.some((item) => item.key.endsWith('-twin')))])
  assert.deepEqual(differences, [])
  assert.deepEqual(methods, ['clusters'])
})

for (const style of ['chicago-author-date', 'apa']) {
  test(`${style}: a book with nothing ambiguous reads the same cluster by cluster, bibliography included`, () => {
    const references = referencesOf(uniqueNames(corpusItems))
    // The whole book is one batch, as author-date styles disambiguate across it; some citations are in authors' notes.
    const book = chapters.flat().filter((cluster) => !cluster.items.some((item) => item.key.endsWith('-twin')))
    const inText = book.map((cluster, index) => ({ ...cluster, noteIndex: index % 11 === 0 ? (index % 7) + 1 : 0 }))
    const { differences, methods, bibliographies } = compare(style, references, [inText])
    assertKnown(differences, style)
    assert.deepEqual(methods, ['clusters'])
    assert.deepEqual(bibliographies.clusters, bibliographies.batch)
  })

  test(`${style}: works by one author in one year, or two people sharing a family name, take citeproc’s batch`, () => {
    const book = chapters[TWIN_CHAPTERS[0]! - 1]!
    assert.ok(book.some((cluster) => cluster.items.some((item) => item.key.endsWith('-twin'))))
    const cases = [
      { items: uniqueNames(corpusItems), reason: /are cited alike/ },
      // The generator's eighteen families have fifteen given names each.
      { items: corpusItems, reason: /two people are called/ },
    ]
    for (const { items, reason } of cases) {
      const { differences, methods, reasons, html } = compare(style, referencesOf([...items, ...twinsOf(items, 'year')]), [book])
      assert.deepEqual(differences, [])
      assert.deepEqual(methods, ['batch'])
      assert.match(reasons[0]!, reason)
      // The batch did disambiguate: a twin's year carries a letter.
      assert.ok([...html.values()].some((text) => /\d{4}[ab]\b/.test(text)), 'a year suffix')
    }
  })
}

interface Comparison {
  differences: { id: string; clusters: string; batch: string }[]
  methods: string[]
  reasons: string[]
  html: Map<string, string>
  bibliographies: Record<'clusters' | 'batch', { key: string; html: string }[]>
}

/** Format `batches` both ways, each on an engine of its own, as a build's engines start. */
function compare(styleName: string | CslStyle, references: References, batches: CiteCluster[][]): Comparison {
  const style = typeof styleName === 'string' ? bundledStyle(styleName)! : styleName
  const options = { style, locale: localeFor('en'), language: 'en', references, ...(style.class === 'in-text' ? { linkTarget: (key: string) => `ref-${key}` } : {}) }
  const run = (method: FormatMethod) => {
    const engine = createCiteproc(options)
    const formatted = engine.format(batches, { method })
    const keys = [...new Set(batches.flat().flatMap((cluster) => cluster.items.map((item) => item.key)))]
    return { formatted, bibliography: style.class === 'in-text' ? engine.bibliography(keys).entries : [] }
  }
  const auto = run('auto')
  const batch = run('batch')
  const differences: Comparison['differences'] = []
  const html = new Map<string, string>()
  batches.forEach((clusters, index) => {
    for (const { id } of clusters) {
      const fast = auto.formatted[index]!.html.get(id)
      const slow = batch.formatted[index]!.html.get(id)
      assert.ok(fast !== undefined && slow !== undefined, `${id} was formatted both ways`)
      html.set(id, slow)
      if (fast !== slow) differences.push({ id, clusters: fast, batch: slow })
    }
  })
  return {
    differences,
    methods: auto.formatted.map((formatted) => formatted.method),
    reasons: auto.formatted.map((formatted) => formatted.reason ?? ''),
    html,
    bibliographies: { clusters: auto.bibliography, batch: batch.bibliography },
  }
}

/** The citations that differ are exactly the known ones; the message shows every difference's texts. */
function assertKnown(differences: Comparison['differences'], style: string): void {
  assert.deepEqual(
    differences.map(({ id }) => id),
    KNOWN_DIFFERENCES[style]!.map(({ id }) => id),
    differences.map(({ id, clusters, batch }) => `${id}\n  clusters: ${clusters}\n  batch:    ${batch}`).join('\n'),
  )
}

/** The style with each cite opened by "[near] " or "[far] " and the note that first cited the work, which no bundled style prints. */
function withNearNote(style: XmlJson): XmlJson {
  const copy = structuredClone(style)
  const citation = copy.children.find((child): child is XmlJson => typeof child === 'object' && child.name === 'citation')!
  citation.attrs['near-note-distance'] = '3'
  const layout = citation.children.find((child): child is XmlJson => typeof child === 'object' && child.name === 'layout')!
  const text = (attrs: Record<string, string>): XmlJson => ({ name: 'text', attrs, children: [] })
  layout.children.unshift(
    { name: 'choose', attrs: {}, children: [{ name: 'if', attrs: { position: 'near-note' }, children: [text({ value: '[near] ' })] }, { name: 'else-if', attrs: { position: 'far-note' }, children: [text({ value: '[far] ' })] }] },
    text({ variable: 'first-reference-note-number', prefix: '[n. ', suffix: '] ' }),
  )
  return copy
}

function referencesOf(items: CslItem[]): References {
  return new Map(items.map((item) => [item.id, { item }]))
}

/**
 * A twin for each of the first works the twin chapters cite: same author and
 * `same` title (Chicago's short notes read alike) or year (author-date cites
 * read alike), a different other.
 */
function twinsOf(items: CslItem[], same: 'title' | 'year'): CslItem[] {
  return items.map((item) => {
    const year = (item.issued as { 'date-parts': number[][] })['date-parts'][0]![0]!
    return same === 'title'
      ? { ...item, id: `${item.id}-twin`, issued: { 'date-parts': [[year + 1]] } }
      : { ...item, id: `${item.id}-twin`, title: `${String(item.title)} Revisited` }
  })
}

/**
 * The corpus with one family name per person (the generator gives fifteen
 * given names to each of its eighteen families) and at most one work per
 * author and year: nothing for a style to disambiguate.
 */
function uniqueNames(items: CslItem[]): CslItem[] {
  const families = new Map<string, string>()
  const taken = new Set<string>()
  return items.map((item, index) => {
    const [author] = item.author as { family: string; given: string }[]
    const person = `${author!.family}|${author!.given}`
    if (!families.has(person)) families.set(person, `${author!.family}${syllables(families.size)}`)
    const family = families.get(person)!
    let year = (item.issued as { 'date-parts': number[][] })['date-parts'][0]![0]!
    while (taken.has(`${family}|${year}`)) year++
    taken.add(`${family}|${year}`)
    // Some works get co-authors, so et al. is exercised (APA from three names, Chicago from four).
    const more = index % 9 === 0 ? 3 : index % 5 === 0 ? 1 : 0
    const coauthors = Array.from({ length: more }, (_, n) => ({ family: `Coauthor${syllables(index * 4 + n)}`, given: 'Pat' }))
    return { ...item, author: [{ ...author!, family }, ...coauthors], issued: { 'date-parts': [[year]] } }
  })
}

function syllables(n: number): string {
  const parts = ['ba', 'ko', 'ri', 'zu', 'me', 'la', 'do', 'ni']
  let out = ''
  do {
    out += parts[n % parts.length]
    n = Math.floor(n / parts.length)
  } while (n > 0)
  return out
}

/** A chapter's citations in reading order, as resolve makes them from `[citation N]` markers and `[@key, p. N]`. */
function corpusClusters(source: string, chapter: number): CiteCluster[] {
  const markers = new Map<string, CiteItem>()
  for (const line of source.split('\n')) {
    const mapped = /^ {2}(\d+): \{ key: (\S+), locator: "([^"]*)" \}$/.exec(line) ?? /^ {2}(\d+): (\S+)$/.exec(line)
    if (mapped) markers.set(mapped[1]!, { key: mapped[2]!, ...locatorOf(mapped[3]) })
  }
  const clusters: CiteCluster[] = []
  for (const match of source.matchAll(/\[citation (\d+)\]|\[@([^,\]]+), (p\. \d+)\]/g)) {
    const item = match[1] ? markers.get(match[1])! : { key: match[2]!, ...locatorOf(match[3]) }
    clusters.push({ id: `ch-${chapter}-cite-${clusters.length + 1}`, items: [item], noteIndex: clusters.length + 1 })
  }
  return clusters
}

function locatorOf(text: string | undefined): Pick<CiteItem, 'locator' | 'label'> {
  const parsed = parseLocator(text)
  return parsed.locator ? { locator: parsed.locator, ...(parsed.label ? { label: parsed.label } : {}) } : {}
}

/**
 * The corpus chapter followed by what it never writes, on works the chapter
 * cites; each entry is one note, each inner array one citation in it (none:
 * an author's note that cites nothing).
 */
function withPatterns(clusters: CiteCluster[], chapter: number): CiteCluster[] {
  const keys = [...new Set(clusters.flatMap((cluster) => cluster.items.map((item) => item.key)))]
  const [a, b, c, d] = [keys[0]!, keys[1]!, keys[2]!, keys[3]!]
  const p = (key: string, locator?: string, extra: Partial<CiteItem> = {}): CiteItem => ({ key, ...(locator ? { locator, label: 'page' } : {}), ...extra })
  const notes: CiteItem[][][] = [
    [[p(a)]], [[p(a)]], // Ibid.
    [[p(a, '12')]], [[p(a, '12')]], // Ibid. (same page)
    [[p(a, '14')]], // Ibid., 14.
    [[p(a)]], // after a page, no page: subsequent
    [[p(b)]], [[p(b, '5')]], // Ibid. with a page
    [[p(a, '3'), p(b)]], [[p(b)]], // the previous note cited two works: no Ibid.
    [[p(c, '3'), p(c, '5')]], // one work twice in a note: Ibid. with a page inside the cluster
    [[p(c), p(c)]], // …and Ibid. inside it
    [[p(c, '7'), p(c)]], // …and subsequent inside it (a page, then none)
    [[p(d, '1'), p(a), p(d, '1')]], // the same work with another between
    [[p(b)], [p(b)]], // two citations in one note: Ibid. from the one before
    [[p(a, '9'), p(c)], [p(c, '2')]], // the one before's last work, compared with its first's page…
    [[p(a, '9'), p(c, '2')], [p(c, '2')]], // …so the same page is "Ibid., 2."
    [[p(a), p(c, '2')], [p(c)]], // …and no page after a page is "Ibid."
    [[p(d)], [p(a)], [p(d)]], // in one note, not adjacent: subsequent
    [[p(b, '6')]], [], [[p(b, '6')]], // an author's note without citations between: no Ibid.
    [[p(c, 'p. 8')]], [[{ key: c, locator: '8' }]], // "p. 8" read as a label by citeproc: Ibid.
    [[p(a, '20', { prefix: 'See', suffix: ', for the argument' })]], [[p(a, '20', { prefix: 'Compare' })]], // affixes
    [[p(b)]], [[p(c)]], [[p(d)]], [[p(a)]], // near: a was cited four notes before
    [[p(b)]], [[p(c)]], [[p(d)]], [[p(b)]], [[p(c)]], [[p(d)]], [[p(b)]], [[p(a)]], // far: eight notes before
    [[p(a, '1', { suppressAuthor: true })]], [[p(b, '2'), p(c, '3'), p(d, '4')]],
  ]
  if (TWIN_CHAPTERS.includes(chapter)) notes.push([[p(`${a}-twin`)]], [[p(a)]], [[p(`${a}-twin`, '4')]])
  const out = [...clusters]
  let note = clusters.length
  for (const citations of notes) {
    note++
    for (const items of citations) out.push({ id: `ch-${chapter}-cite-${out.length + 1}`, items, noteIndex: note })
  }
  return out
}
