/**
 * Generated chapters that mix every block construct the README documents,
 * each written twice: in line form (one block per line, no blank lines, as a
 * word processor exports it) and in blank-line form (blocks separated by
 * blank lines, a quote's paragraphs by `>` lines). Quire must read both the
 * same. Seeded, so a failure names a chapter that can be rebuilt.
 */

/** A block as lines; `parts` separates a quote's or item's paragraphs in blank-line form. */
interface Block {
  /** The block's lines in line form. */
  lines: string[]
  /** The same block in blank-line form (defaults to `lines`). */
  blankForm?: string[]
  /** Which builder made it. */
  kind: string
}

export interface GeneratedChapter {
  file: string
  lineForm: string
  blankForm: string
  /** The kinds of block it holds, in order (for the failure message). */
  kinds: string[]
}

/** A small seeded generator (mulberry32). */
export function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1))
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!
  return { next, int, pick }
}

type Random = ReturnType<typeof random>

const words = 'the delegates arrived early and waited in the long hall while rain fell on the old city and nobody spoke of the vote that was coming'.split(' ')
const names = ['Vienna', 'Berlin', 'Geneva', 'Moscow', 'Washington, D.C.']
const months = ['January', 'May', 'August', 'October']
const titles = ['The Vote', 'After Vienna', 'Supply Lines', 'The Long Winter', 'A Quiet Room', 'Numbers']

/** The reference keys a generated chapter may cite (see `corpusReferences`). */
export const corpusKeys = ['kennan1947', 'gaddis2005', 'judt2005']

function phrase(r: Random, count: number): string {
  return Array.from({ length: count }, () => r.pick(words)).join(' ')
}

/** A sentence with the inline constructs a manuscript uses: emphasis, code, links, quotes, dashes, citations. */
function sentence(r: Random, chapter: Counters): string {
  const first = phrase(r, r.int(3, 8))
  let text = first[0]!.toUpperCase() + first.slice(1)
  const extras = [
    () => ` *${phrase(r, 2)}*`,
    () => ` **${phrase(r, 1)}**`,
    () => ` \`x = ${r.int(1, 9)}\``,
    () => ` [a link](https://example.org/${r.int(1, 99)})`,
    () => ` "${phrase(r, 3)}," he said`,
    () => ` it's ${phrase(r, 2)}`,
    () => ` -- ${phrase(r, 2)} --`,
    () => ` in 1914--1918`,
    () => ` ${phrase(r, 2)} [citation ${++chapter.markers}]`,
    () => ` ${phrase(r, 2)} [@${r.pick(corpusKeys)}, p. ${r.int(2, 300)}]`,
    () => ` as @${r.pick(corpusKeys)} [p. ${r.int(2, 300)}] says`,
    () => ` <sup>${r.int(2, 9)}</sup> and <span lang="fr">la vie</span>`,
    () => {
      chapter.footnotes.push(++chapter.footnoteCount)
      return ` ${phrase(r, 2)}[^n${chapter.footnoteCount}]`
    },
  ]
  for (let i = r.int(0, 2); i > 0; i--) text += r.pick(extras)()
  return `${text} ${phrase(r, r.int(2, 5))}.`
}

function paragraph(r: Random, chapter: Counters): string {
  return Array.from({ length: r.int(1, 3) }, () => sentence(r, chapter)).join(' ')
}

interface Counters {
  number: number
  section: number
  markers: number
  footnoteCount: number
  /** Footnotes referenced and not yet defined. */
  footnotes: number[]
  figures: number
}

const builders: Record<string, (r: Random, chapter: Counters) => Block> = {
  paragraph: (r, c) => ({ kind: 'paragraph', lines: [paragraph(r, c)] }),
  dateline: (r, c) => ({ kind: 'dateline', lines: [`${r.pick(names)}, ${r.pick(months)} 19${r.int(45, 89)}. ${paragraph(r, c)}`] }),
  section: (r, c) => ({ kind: 'section', lines: [`${c.number}.${++c.section} ${r.pick(titles)}`] }),
  heading: (r) => ({ kind: 'heading', lines: [`## ${r.pick(titles)} ${r.int(1, 99)}`] }),
  quote: (r, c) => {
    const paragraphs = Array.from({ length: r.int(1, 3) }, () => `> ${paragraph(r, c)}`)
    if (r.next() < 0.4) paragraphs.push(`> -- ${r.pick(names)}, *${r.pick(titles)}*`)
    return { kind: 'quote', lines: paragraphs, blankForm: paragraphs.flatMap((line, index) => (index === 0 ? [line] : ['>', line])) }
  },
  bullets: (r, c) => ({ kind: 'bullets', lines: Array.from({ length: r.int(1, 4) }, () => `- ${sentence(r, c)}`) }),
  ordered: (r, c) => ({ kind: 'ordered', lines: Array.from({ length: r.int(1, 4) }, (_, i) => `${i + 1}. ${sentence(r, c)}`) }),
  tasks: (r, c) => ({ kind: 'tasks', lines: Array.from({ length: r.int(1, 3) }, () => `- [${r.pick([' ', 'x'])}] ${sentence(r, c)}`) }),
  table: (r) => {
    const rows = Array.from({ length: r.int(1, 4) }, () => `| ${r.pick(names)} | ${r.int(1, 99)} |`)
    return { kind: 'table', lines: ['| Group | Yes |', r.pick(['| --- | --- |', '|:--|--:|', '| - | - |']), ...rows] }
  },
  fence: (r) => ({
    kind: 'fence',
    lines: ['```text', `> not a quote ${r.int(1, 9)}`, '| not | a table |', phrase(r, 4), '```'],
  }),
  figureHtml: (r) => ({
    kind: 'figureHtml',
    lines: [`<figure><img src="images/dot.gif" alt="A dot ${r.int(1, 9)}"><figcaption>A dot</figcaption></figure>`],
  }),
  divHtml: (r) => ({ kind: 'divHtml', lines: ['<div class="note">', `<p>${phrase(r, 5)}</p>`, '</div>'] }),
  comment: (r) => ({ kind: 'comment', lines: [`<!-- a note to self: ${phrase(r, 3)} -->`] }),
  image: (r, c) => {
    const alt = `A dot ${r.int(1, 9)}`
    const style = r.int(0, 2)
    if (style === 0) return { kind: 'image', lines: [`![${alt}](images/dot.gif)`] }
    if (style === 1) return { kind: 'image', lines: [`![${alt}](images/dot.gif "Figure ${++c.figures}. ${phrase(r, 3)}")`] }
    const caption = `*Figure ${++c.figures}. ${phrase(r, 3)}.*`
    return { kind: 'image', lines: [`![${alt}](images/dot.gif)`, caption], blankForm: [`![${alt}](images/dot.gif)`, '', caption] }
  },
  poem: (r) => {
    // Lines that end in a backslash are one paragraph with line breaks, in either form.
    const lines = Array.from({ length: r.int(2, 4) }, () => phrase(r, r.int(3, 6)))
    return { kind: 'poem', lines: lines.map((line, i) => (i < lines.length - 1 ? `${line}\\` : `${line}.`)) }
  },
  nestedList: (r, c) => {
    // Items holding a nested list or a quote: still a tight list in either form.
    const lines: string[] = []
    for (let i = r.int(1, 3); i > 0; i--) {
      lines.push(`- ${sentence(r, c)}`)
      const inner = r.int(0, 2)
      if (inner === 1) for (let k = r.int(1, 2); k > 0; k--) lines.push(`  - ${sentence(r, c)}`)
      if (inner === 2) lines.push(`  > ${sentence(r, c)}`)
    }
    return { kind: 'nestedList', lines }
  },
  quotedList: (r, c) => {
    // A quote holding a paragraph, a list, and a paragraph after the list.
    const first = `> ${paragraph(r, c)}`
    const items = Array.from({ length: r.int(1, 3) }, () => `> - ${sentence(r, c)}`)
    const after = `> ${paragraph(r, c)}`
    return { kind: 'quotedList', lines: [first, ...items, after], blankForm: [first, '>', ...items, '>', after] }
  },
  sceneBreak: (r) => ({ kind: 'sceneBreak', lines: [r.pick(['---', '* * *', '***'])] }),
}

const kinds = Object.keys(builders)

function family(kind: string): string | undefined {
  return { quote: 'quote', quotedList: 'quote', bullets: 'dash-list', tasks: 'dash-list', nestedList: 'dash-list', ordered: 'ordered' }[kind]
}

/** A footnote definition (plain text: its markers would need numbers of their own). */
function footnote(r: Random, id: number): Block {
  const text = phrase(r, r.int(4, 9))
  return { kind: 'footnote', lines: [`[^n${id}]: ${text[0]!.toUpperCase()}${text.slice(1)}, *${phrase(r, 2)}* ${r.int(1, 300)}.`] }
}

/** Generate chapter `number` (its file `NN-generated.md`) from `seed`. */
export function generateChapter(seed: number, number: number): GeneratedChapter {
  const r = random(seed)
  const counters: Counters = { number, section: 0, markers: 0, footnoteCount: 0, footnotes: [], figures: 0 }
  // Two paragraphs first, so a line-form chapter has line breaks to be detected by.
  const blocks: Block[] = [builders.paragraph!(r, counters), builders.paragraph!(r, counters)]
  for (let i = r.int(4, 14); i > 0; i--) {
    let kind = r.pick(kinds)
    // A scene break right after a heading or another break says nothing; keep it between text.
    if (kind === 'sceneBreak' && ['heading', 'section', 'sceneBreak'].includes(blocks.at(-1)!.kind)) kind = 'paragraph'
    // Two quotes, or two lists with the same marker, one after the other are one in line form: no line can part them.
    if (family(kind) !== undefined && family(kind) === family(blocks.at(-1)!.kind)) kind = 'paragraph'
    blocks.push(builders[kind]!(r, counters))
    // Footnote definitions go after the blocks that call them.
    if (counters.footnotes.length > 0 && r.next() < 0.3) {
      for (const id of counters.footnotes.splice(0)) blocks.push(footnote(r, id))
    }
  }
  for (const id of counters.footnotes.splice(0)) blocks.push(footnote(r, id))
  return assemble(blocks, number, counters, 'Generated')
}

/** The references every generated chapter may cite, as CSL-JSON. */
export const corpusReferences = JSON.stringify([
  { id: 'kennan1947', type: 'article-journal', author: [{ family: 'Kennan', given: 'George F.' }], title: 'The Sources of Soviet Conduct', 'container-title': 'Foreign Affairs', issued: { 'date-parts': [[1947]] } },
  { id: 'gaddis2005', type: 'book', author: [{ family: 'Gaddis', given: 'John Lewis' }], title: 'The Cold War', publisher: 'Penguin', issued: { 'date-parts': [[2005]] } },
  { id: 'judt2005', type: 'book', author: [{ family: 'Judt', given: 'Tony' }], title: 'Postwar', publisher: 'Penguin', issued: { 'date-parts': [[2005]] } },
])

/**
 * A short line-form chapter: a few prose lines (2 to 6), each its own
 * paragraph, among lines that are blocks on their own and end no sentence
 * (lone images, HTML tags and comments, citation markers, section lines,
 * definitions, list items without a full stop …), which must not make the
 * chapter look hard-wrapped. Each prose line carries its own token
 * (`prose` lists them), so a test can tell that no two share a paragraph.
 */
export interface ShortLineChapter extends GeneratedChapter {
  prose: string[]
}

/** Blocks that stand on their own line(s) and are not prose. */
const loneBlocks: Record<string, (r: Random, chapter: Counters) => Block> = {
  image: builders.image!,
  captionNoStop: (r, c) => {
    const caption = `*Figure ${++c.figures}. ${phrase(r, 3)}*`
    return { kind: 'captionNoStop', lines: ['![A dot](images/dot.gif)', caption], blankForm: ['![A dot](images/dot.gif)', '', caption] }
  },
  linkedImage: (r) => ({ kind: 'linkedImage', lines: [`[![A dot ${r.int(1, 9)}](images/dot.gif)](https://example.org/${r.int(1, 99)})`] }),
  twoImages: () => ({ kind: 'twoImages', lines: ['![A dot](images/dot.gif) ![Another dot](images/dot.gif)'] }),
  br: (r) => ({ kind: 'br', lines: [r.pick(['<br>', '<br/>', '<br />'])] }),
  hrTag: () => ({ kind: 'hrTag', lines: ['<hr>'] }),
  imgTag: (r) => ({ kind: 'imgTag', lines: [`<img src="images/dot.gif" alt="A dot ${r.int(1, 9)}">`] }),
  anchor: (r) => ({ kind: 'anchor', lines: [`<a id="here-${r.int(1, 9999)}"></a>`] }),
  figureLines: () => ({ kind: 'figureLines', lines: ['<figure>', '<img src="images/dot.gif" alt="A dot">', '<figcaption>A dot</figcaption>', '</figure>'] }),
  divHtml: builders.divHtml!,
  figureHtml: builders.figureHtml!,
  comment: builders.comment!,
  longComment: (r) => ({ kind: 'longComment', lines: ['<!--', `a note to self: ${phrase(r, 4)}`, '-->'] }),
  citationLine: (r, c) => {
    const style = r.int(0, 2)
    const marker = style === 0 ? `[citation ${++c.markers}]` : style === 1 ? `[@${r.pick(corpusKeys)}]` : `[@${r.pick(corpusKeys)}, p. ${r.int(2, 300)}]`
    return { kind: 'citationLine', lines: [marker] }
  },
  section: builders.section!,
  heading: builders.heading!,
  sceneBreak: builders.sceneBreak!,
  // Under a line of text, a heading underline to CommonMark: in a one-per-line chapter, a scene break.
  dashes: () => ({ kind: 'dashes', lines: ['---'] }),
  table: builders.table!,
  pipeLine: (r) => ({ kind: 'pipeLine', lines: [`| ${r.pick(names)} | ${r.int(1, 99)} |`] }),
  fence: builders.fence!,
  items: (r) => ({ kind: 'items', lines: Array.from({ length: r.int(1, 3) }, () => `- ${phrase(r, r.int(1, 3))}`) }),
  ordered: (r) => {
    const start = r.int(1, 3)
    return { kind: 'ordered', lines: Array.from({ length: r.int(1, 3) }, (_, i) => `${start + i}. ${phrase(r, r.int(1, 3))}`) }
  },
  quoteLine: (r) => ({ kind: 'quoteLine', lines: [`> ${phrase(r, r.int(2, 6))}${r.pick(['', '.'])}`] }),
  linkDefinition: (r) => ({ kind: 'linkDefinition', lines: [`[archive-${r.int(1, 9999)}]: https://example.org/archive`] }),
}

/** A prose line with its token, ending in one of the ways a sentence ends on a line. */
function proseLine(r: Random, c: Counters, token: string): string {
  const body = paragraph(r, c).slice(0, -1)
  const endings = [
    () => `${body} ${token}.`,
    () => `${body}, "${phrase(r, 3)} ${token}."`,
    () => `${body} ${token}.[citation ${++c.markers}]`,
    () => `${body} ${token} [@${r.pick(corpusKeys)}, p. ${r.int(2, 300)}].`,
    () => {
      c.footnotes.push(++c.footnoteCount)
      return `${body} ${token}.[^n${c.footnoteCount}]`
    },
    () => `${body} <em>${phrase(r, 2)} ${token}.</em>`,
    () => `${body} ${token}.<sup>${r.int(2, 9)}</sup>`,
    () => `*${body} ${token}.*`,
    () => `${body} ${token}?`,
    () => `${r.pick(names)}, ${r.pick(months)} 19${r.int(45, 89)}. ${body} ${token}.`,
  ]
  return r.pick(endings)()
}

/** The kinds of lone block a short chapter mixes with its prose lines. */
export const loneKinds = Object.keys(loneBlocks)

/**
 * Generate short line-form chapter `number` from `seed` (see
 * `ShortLineChapter`). With `between`, the thinnest evidence there is: two
 * prose lines and that one kind of lone block between them.
 */
export function generateShortLineChapter(seed: number, number: number, between?: string): ShortLineChapter {
  const r = random(seed)
  const counters: Counters = { number, section: 0, markers: 0, footnoteCount: 0, footnotes: [], figures: 0 }
  if (between !== undefined) {
    const prose = [`tok${number}p1`, `tok${number}p2`]
    const blocks = [{ kind: 'prose', lines: [proseLine(r, counters, prose[0]!)] }, loneBlocks[between]!(r, counters), { kind: 'prose', lines: [proseLine(r, counters, prose[1]!)] }]
    blocks.push(...footnotes(r, counters))
    return { ...assemble(blocks, number, counters, 'Short'), prose }
  }
  // Mostly the fewest prose lines, where each break decides.
  const prose = Array.from({ length: r.pick([2, 2, 2, 3, 3, 4, 5, 6]) }, (_, k) => `tok${number}p${k + 1}`)
  const blocks: Block[] = []
  const lone = () => {
    const previous = blocks.at(-1)?.kind
    let kind = r.pick(loneKinds)
    // As in `generateChapter`: no scene break after a heading or a break, no two quotes or lists of one kind in a row,
    // and no row of pipes after a table (it would be a row of it).
    if (kind === 'sceneBreak' && ['heading', 'section', 'sceneBreak'].includes(previous ?? 'heading')) kind = 'comment'
    if (kind === previous && ['items', 'ordered', 'quoteLine'].includes(kind)) kind = 'br'
    if (kind === 'pipeLine' && previous === 'table') kind = 'anchor'
    blocks.push(loneBlocks[kind]!(r, counters))
  }
  // Mostly one or two lone blocks between prose lines, so that few prose lines meet.
  for (const [k, token] of prose.entries()) {
    for (let n = k === 0 || r.next() < 0.2 ? r.int(0, 2) : r.int(1, 2); n > 0; n--) lone()
    blocks.push({ kind: 'prose', lines: [proseLine(r, counters, token)] })
  }
  for (let n = r.int(0, 2); n > 0; n--) lone()
  blocks.push(...footnotes(r, counters))
  return { ...assemble(blocks, number, counters, 'Short'), prose }
}

/** The definitions of the footnotes called so far, some without a full stop. */
function footnotes(r: Random, counters: Counters): Block[] {
  return counters.footnotes.splice(0).map((id) => ({ kind: 'footnote', lines: [`[^n${id}]: ${r.pick(names)}, *${phrase(r, 2)}*, ${r.int(1, 300)}${r.pick(['', '.'])}`] }))
}

/** The front matter (with the chapter-local markers it used), line form and blank-line form of a chapter's blocks. */
function assemble(blocks: Block[], number: number, counters: Counters, title: string): GeneratedChapter {
  const citations = Array.from({ length: counters.markers }, (_, i) => `  ${i + 1}: ${corpusKeys[i % corpusKeys.length]}`)
  const frontMatter = ['---', `title: ${title} ${number}`, ...(citations.length > 0 ? ['citations:', ...citations] : []), '---']
  const lineForm = [...frontMatter, ...blocks.flatMap((block) => block.lines)].join('\n') + '\n'
  const blankForm = [...frontMatter, blocks.map((block) => (block.blankForm ?? block.lines).join('\n')).join('\n\n')].join('\n') + '\n'
  return { file: `${String(number).padStart(2, '0')}-generated.md`, lineForm, blankForm, kinds: blocks.map((block) => block.kind) }
}

/** Wrap `text` at `width` columns, as an author wrapping by hand: breaks fall wherever the line is full. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return [...lines, line]
}

/**
 * A hard-wrapped chapter (paragraphs wrapped at 50 to 76 columns, blank lines
 * between blocks) with images, HTML tags and comments, citation lines and the
 * other lone blocks, between its paragraphs and inside them: it must still be
 * read as hard-wrapped. `lineForm` and `blankForm` are the same text.
 */
export function generateHardWrappedChapter(seed: number, number: number): GeneratedChapter {
  const r = random(seed)
  const counters: Counters = { number, section: 0, markers: 0, footnoteCount: 0, footnotes: [], figures: 0 }
  const width = r.int(50, 76)
  const blocks: Block[] = []
  const intrusions = ['![A dot](images/dot.gif)', '<br>', '<img src="images/dot.gif" alt="A dot">', '<a id="mark"></a>', '[@kennan1947]', '<span lang="fr">la vie</span>']
  for (let p = r.int(2, 4); p > 0; p--) {
    // Two or three sentences without markers that need front matter or definitions.
    const text = Array.from({ length: r.int(2, 3) }, () => {
      const words = phrase(r, r.int(8, 18))
      return `${words[0]!.toUpperCase()}${words.slice(1)}${r.pick(['', ` *${phrase(r, 2)}*`, ` [@${r.pick(corpusKeys)}]`])} ${phrase(r, r.int(2, 6))}.`
    }).join(' ')
    const lines = wrap(text, width)
    // Sometimes a line that is a block on its own sits inside the paragraph, mid-sentence.
    if (lines.length > 1 && r.next() < 0.5) lines.splice(r.int(1, lines.length - 1), 0, r.pick(intrusions))
    blocks.push({ kind: 'wrapped', lines })
    if (r.next() < 0.7) {
      const kind = r.pick(loneKinds.filter((kind) => !['citationLine', 'sceneBreak', 'pipeLine'].includes(kind)))
      blocks.push(loneBlocks[kind]!(r, counters))
    }
  }
  const chapter = assemble(blocks, number, counters, 'Wrapped')
  return { ...chapter, lineForm: chapter.blankForm }
}
