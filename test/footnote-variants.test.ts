/**
 * Footnotes over generated variants: one book of chapters made by a seeded
 * generator (paragraphs of any length, notes from one line to longer than a
 * page, called anywhere: in list items, quotations, tables, twice in a line,
 * at a chapter's very end), printed with `notes: footnotes` as three jobs.
 * The rule tested for every note: its text begins at the foot of the page
 * its call's link is on, once in the book; and no paragraph of the text is
 * lost or printed twice.
 */
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import { cli, manuscript } from './helpers.ts'
import { flat, linkPages, openPdf, type OpenedPdf } from './pdf-helpers.ts'

/** A small seeded generator (mulberry32): the same book every run. */
function generator(seed: number) {
  let state = seed
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)) }
}

const WORDS = 'harbour letter ministry crane winter quay ferry tanker archive minute delegate treaty signal cargo ledger shipment customs pilot tide beacon'.split(' ')

interface Generated {
  files: Record<string, string>
  /** Each note's chapter, number and opening words; each paragraph's opening words. */
  notes: { chapter: number; number: number; opening: string }[]
  paragraphs: string[]
}

function generateBook(seed: number, chapters: number): Generated {
  const random = generator(seed)
  const files: Record<string, string> = { 'book.yaml': 'title: Variants\nauthor: Quire Tests\ndate: 2025-01-01\nnotes: footnotes\n' }
  const notes: Generated['notes'] = []
  const paragraphs: string[] = []
  let serial = 0
  const sentence = () => {
    const words = Array.from({ length: random.int(6, 16) }, () => WORDS[random.int(0, WORDS.length - 1)]!)
    return `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}.`
  }
  for (let chapter = 1; chapter <= chapters; chapter++) {
    const blocks: string[] = [`# Chapter ${chapter}: Variant ${chapter}`]
    const definitions: string[] = []
    const opened = new Map<string, string>()
    let number = 0
    const note = () => {
      number++
      serial++
      const opening = `Note ${serial} opens here`
      // Mostly short; some over half a page; a few longer than a page.
      const length = random.next() < 0.7 ? random.int(1, 3) : random.next() < 0.7 ? random.int(8, 20) : random.int(40, 60)
      definitions.push(`[^n${number}]: ${opening}. ${Array.from({ length }, sentence).join(' ')}`)
      opened.set(`n${number}`, opening)
      return `[^n${number}]`
    }
    const paragraph = (calls: number) => {
      serial++
      const lead = `Paragraph ${serial} begins`
      paragraphs.push(lead)
      const sentences = Array.from({ length: random.int(1, 12) }, sentence)
      for (let call = 0; call < calls; call++) sentences.splice(random.int(0, sentences.length), 0, `${sentence().slice(0, -1)}${note()}.`)
      return `${lead}. ${sentences.join(' ')}`
    }
    const count = random.int(6, 14)
    for (let index = 0; index < count; index++) {
      const kind = random.next()
      if (kind < 0.08) blocks.push(`> ${paragraph(1)}`)
      else if (kind < 0.14) blocks.push(`- ${paragraph(1)}\n- ${paragraph(0)}\n- ${paragraph(1)}`)
      else if (kind < 0.18) blocks.push(`| Year | Event |\n| --- | --- |\n| ${random.int(1900, 1999)} | ${sentence().slice(0, -1)}${note()} |\n| ${random.int(1900, 1999)} | ${sentence()} |`)
      else if (kind < 0.24) blocks.push(`${chapter}.${index + 1} A Section`)
      else blocks.push(paragraph(random.next() < 0.5 ? 0 : random.int(1, 3)))
    }
    // The chapter ends on a note's call.
    blocks.push(`Last words of chapter ${chapter}.${note()}`)
    // Notes are numbered in the order of their calls in the text (the calls were put among the sentences at random).
    const text = blocks.join('\n\n')
    const order = [...new Set([...text.matchAll(/\[\^(n\d+)\]/g)].map((match) => match[1]!))]
    order.forEach((label, index) => notes.push({ chapter, number: index + 1, opening: `${index + 1}. ${opened.get(label)!}` }))
    files[`${String(chapter).padStart(2, '0')}-variant.md`] = [text, ...definitions].join('\n\n') + '\n'
  }
  return { files, notes, paragraphs }
}

let pdf: OpenedPdf
let book: Generated
/** Note id → pages with a link to it at least 2 pt tall. */
let links: Map<string, number[]>

before(async () => {
  // QUIRE_VARIANT_SEED explores other books; the default is the one the suite checks.
  book = generateBook(Number(process.env.QUIRE_VARIANT_SEED ?? 20261204), 8)
  const dir = await manuscript(book.files)
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-variants-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'pdf'], { env: { QUIRE_PDF_JOBS: '3' } })
  assert.equal(result.code, 0, result.stderr)
  pdf = await openPdf(path.join(out, 'variants.pdf'))
  links = await linkPages(pdf.file)
})

const pageText = (index: number) => flat(pdf.pages[index]!.replace(/-\n\s*/g, ''))
const pagesWith = (words: string) => pdf.pages.flatMap((_, index) => (pageText(index).includes(words) ? [index + 1] : []))

test('the generated book has notes of every kind', () => {
  assert.ok(book.notes.length >= 40, `${book.notes.length} notes`)
})

test('every note begins at the foot of the page of its call, once', () => {
  for (const note of book.notes) {
    const id = `ch-${note.chapter}-note-${note.number}`
    const call = links.get(id)?.[0]
    assert.ok(call, `${id} is called by a link`)
    assert.deepEqual(pagesWith(note.opening), [call], `${id} ("${note.opening}") begins on page ${call}, its call's, and nowhere else`)
  }
})

test('no paragraph of the text is lost or printed twice', () => {
  for (const lead of book.paragraphs) assert.equal(pagesWith(lead).length, 1, `"${lead}" is printed once`)
})
