/**
 * Hostile manuscripts for the editions' own formats: text that XML reads as
 * markup (`]]>`, `<![CDATA[`, `&`, `<`, quotes) in every place a string
 * reaches the EPUB, CDATA sections written in a chapter, characters XML cannot hold, and tables wider than the
 * printed page, which the PDF must make fit rather than cut.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import { assertValidEditions, diagnostic, runHostile, type HostileResult } from './harness.ts'
import { DOT_GIF } from '../helpers.ts'

/** What XML reads as markup, in one string. */
const NASTY = `]]> <![CDATA[ & < "q" 'a' ]]`

/** An entry of the unzipped EPUB as text. */
function entry(result: HostileResult, name: string): string {
  const found = [...result.outputs].find(([key]) => key.endsWith(`.epub!/OEBPS/${name}`))
  assert.ok(found, `OEBPS/${name} in the EPUB; it has ${[...result.outputs.keys()].filter((key) => key.includes('.epub!/')).join(', ')}`)
  return found[1].toString('utf8')
}

/** The text of the elements a selector-like test picks, entities decoded (the XML is checked by epubcheck). */
function texts(xml: string, tagName: string): string[] {
  const found: string[] = []
  const visit = (node: ReturnType<typeof fromHtml>['children'][number] | ReturnType<typeof fromHtml>): void => {
    if (node.type === 'element' && node.tagName === tagName) found.push(toString(node))
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(fromHtml(xml))
  return found
}

function attributes(xml: string, tagName: string, name: string): string[] {
  const found: string[] = []
  const visit = (node: ReturnType<typeof fromHtml>['children'][number] | ReturnType<typeof fromHtml>): void => {
    if (node.type === 'element' && node.tagName === tagName && node.properties[name] !== undefined) found.push(String(node.properties[name]))
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(fromHtml(xml))
  return found
}

test(']]>, <![CDATA[, & and < in metadata, titles, captions, alt and link titles and text: a valid EPUB that keeps every character', async () => {
  // YAML single quotes: the string as it is, no escapes.
  const yaml = (value: string) => `'${value.replaceAll("'", "''")}'`
  // Markdown: brackets escaped where they would close a link text.
  const md = (value: string) => value.replaceAll('[', '\\[').replaceAll(']', '\\]').replaceAll('<', '\\<')
  const result = await runHostile({
    files: {
      'book.yaml': [
        `title: ${yaml(`Parsing XML: the ]]> terminator ${NASTY}`)}`,
        `subtitle: ${yaml(`Sub ${NASTY}`)}`,
        `author: ${yaml(`Ann ${NASTY}`)}`,
        `description: ${yaml(`Desc ${NASTY}`)}`,
        `rights: ${yaml(`Rights ${NASTY}`)}`,
        'date: 2026-01-01',
        '',
      ].join('\n'),
      '01-xml.md': [
        '---',
        `title: ${yaml(`Chapter ${NASTY}`)}`,
        '---',
        `Body ${md(NASTY)} end.`,
        '',
        `## Section ${md(NASTY)}`,
        '',
        `![Alt ${md(NASTY)}](images/dot.gif "Figure 1. Caption ${NASTY.replaceAll('"', '\\"')}")`,
        '',
        `A [link](https://example.com/ "Link ${NASTY.replaceAll('"', '\\"')}") here.`,
        '',
        `\`code ${NASTY}\``,
        '',
        // Raw CDATA in Markdown: an HTML parser would read it as a comment and drop it; it is the text it holds.
        'Raw <![CDATA[ x < y & z ]]> inline.',
        '',
        '<![CDATA[',
        'A block of <CDATA> & more',
        ']]>',
        '',
      ].join('\n'),
      'images/dot.gif': DOT_GIF,
    },
  })
  await assertValidEditions(result)
  // Straight quotes in prose (text, headings, captions) are curled by typography; metadata, code, alt and link titles keep them.
  const prose = NASTY.replace('"q"', '“q”').replace("'a'", '‘a’')
  const opf = entry(result, 'content.opf')
  assert.ok(texts(opf, 'dc:title').includes(`Parsing XML: the ]]> terminator ${NASTY}`), opf)
  assert.ok(texts(opf, 'dc:title').includes(`Sub ${NASTY}`))
  assert.deepEqual(texts(opf, 'dc:creator'), [`Ann ${NASTY}`])
  assert.deepEqual(texts(opf, 'dc:description'), [`Desc ${NASTY}`])
  assert.deepEqual(texts(opf, 'dc:rights'), [`Rights ${NASTY}`])
  const ncx = entry(result, 'toc.ncx')
  assert.ok(texts(ncx, 'text').some((text) => text.includes(`Chapter ${NASTY}`)), ncx)
  const nav = entry(result, 'toc.xhtml')
  assert.ok(texts(nav, 'a').some((text) => text.includes(`Section ${prose}`)), nav)
  const chapter = entry(result, '01-xml.xhtml')
  assert.deepEqual(texts(chapter, 'title'), [`Chapter ${NASTY}`])
  assert.ok(texts(chapter, 'h1').some((text) => text.includes(`Chapter ${NASTY}`)), chapter)
  assert.ok(texts(chapter, 'h2').some((text) => text.includes(`Section ${prose}`)), chapter)
  assert.ok(texts(chapter, 'p').some((text) => text.includes(`Body ${prose} end.`)), chapter)
  assert.ok(texts(chapter, 'figcaption').some((text) => text.includes(`Caption ${prose}`)), chapter)
  assert.ok(texts(chapter, 'code').includes(`code ${NASTY}`), chapter)
  assert.ok(attributes(chapter, 'img', 'alt').includes(`Alt ${NASTY}`), chapter)
  assert.ok(attributes(chapter, 'a', 'title').includes(`Link ${NASTY}`), chapter)
  assert.ok(texts(chapter, 'p').some((text) => text.includes('Raw  x < y & z  inline.')), chapter)
  assert.ok(texts(chapter, 'p').some((text) => text.includes('A block of <CDATA> & more')), chapter)
  const copyright = entry(result, 'copyright.xhtml')
  assert.ok(texts(copyright, 'p').some((text) => text.includes(`Rights ${NASTY}`)), copyright)
  // Nowhere a `]]>` that XML would read as the end of a CDATA section, nor a CDATA section built from text.
  for (const [name, bytes] of result.outputs) {
    if (!/\.epub!\/.*\.(xhtml|opf|ncx|xml)$/.test(name)) continue
    assert.doesNotMatch(bytes.toString('utf8'), /\]\]>|<!\[CDATA\[/, name)
  }
})

test('characters XML cannot hold are refused where they are, in a chapter and in book.yaml', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: "Controls \\x01"\n',
      '01-controls.md': '---\ntitle: Controls\n---\nA word processor’s line\vbreak.\n',
    },
  })
  assert.equal(result.code, 1)
  const found = result.diagnostics.filter((entry) => entry.ruleId === 'character-invalid').map((entry) => `${entry.file.replace(/^.*\//, '')}:${entry.line}:${entry.column}`)
  assert.deepEqual(found, ['book.yaml:1:8', '01-controls.md:4:24'])
  diagnostic(result, 'character-invalid')
})

/** A GFM table of `columns` × `rows` cells, each cell's text unique (`r3c17`). */
function table(columns: number, rows: number, prefix: string): { markdown: string; cells: string[] } {
  const cells: string[] = []
  const line = (values: string[]) => `| ${values.join(' | ')} |`
  const head = Array.from({ length: columns }, (_, column) => `${prefix}H${column}`)
  const body = Array.from({ length: rows }, (_, row) => Array.from({ length: columns }, (_, column) => `${prefix}r${row}c${column}`))
  cells.push(...head, ...body.flat())
  return { markdown: [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n'), cells }
}

test('the PDF prints every cell of a 200-column table and of a 12-column one: set smaller and split by columns, never cut', async () => {
  const wide = table(200, 19, 'w')
  const twelve = table(12, 6, 't')
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Wide Tables\ndate: 2026-01-01\n',
      '01-wide.md': `---\ntitle: Wide\n---\nTwelve columns.\n\n${twelve.markdown}\n\nTwo hundred columns.\n\n${wide.markdown}\n\nAfter the tables.\n`,
    },
    formats: ['pdf'],
  })
  assert.equal(result.code, 0, result.stderr)
  const text = [...result.outputs].find(([name]) => name.endsWith('.pdf!text'))![1].toString('utf8')
  const words = new Set(text.split(/\s+/))
  for (const { cells, name } of [{ cells: twelve.cells, name: '12-column' }, { cells: wide.cells, name: '200-column' }]) {
    const missing = cells.filter((cell) => !words.has(cell))
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of the ${name} table's ${cells.length} cells are missing from the PDF`)
  }
  assert.match(text, /After the/)
})
