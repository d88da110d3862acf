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
  // The chapter-local markers it used, mapped in front matter.
  const citations = Array.from({ length: counters.markers }, (_, i) => `  ${i + 1}: ${corpusKeys[i % corpusKeys.length]}`)
  const frontMatter = ['---', `title: Generated ${number}`, ...(citations.length > 0 ? ['citations:', ...citations] : []), '---']
  const lineForm = [...frontMatter, ...blocks.flatMap((block) => block.lines)].join('\n') + '\n'
  const blankForm = [...frontMatter, blocks.map((block) => (block.blankForm ?? block.lines).join('\n')).join('\n\n')].join('\n') + '\n'
  return { file: `${String(number).padStart(2, '0')}-generated.md`, lineForm, blankForm, kinds: blocks.map((block) => block.kind) }
}

/** The references every generated chapter may cite, as CSL-JSON. */
export const corpusReferences = JSON.stringify([
  { id: 'kennan1947', type: 'article-journal', author: [{ family: 'Kennan', given: 'George F.' }], title: 'The Sources of Soviet Conduct', 'container-title': 'Foreign Affairs', issued: { 'date-parts': [[1947]] } },
  { id: 'gaddis2005', type: 'book', author: [{ family: 'Gaddis', given: 'John Lewis' }], title: 'The Cold War', publisher: 'Penguin', issued: { 'date-parts': [[2005]] } },
  { id: 'judt2005', type: 'book', author: [{ family: 'Judt', given: 'Tony' }], title: 'Postwar', publisher: 'Penguin', issued: { 'date-parts': [[2005]] } },
])
