/** Open a built EPUB and run the validators the stores and accessibility reviewers use. */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { toString } from 'hast-util-to-string'
import JSZip from 'jszip'
import { visit } from 'unist-util-visit'
import { findBrowser } from '../src/browser/find.ts'
import { ROOT } from './helpers.ts'

export interface OpenedEpub {
  bytes: Buffer
  /** Entry names in zip order. */
  names: string[]
  text(name: string): Promise<string>
  data(name: string): Promise<Uint8Array>
  /** An XHTML or XML entry parsed as HTML (enough to walk elements and read attributes). */
  tree(name: string): Promise<Root>
}

export async function openEpub(file: string): Promise<OpenedEpub> {
  const bytes = await readFile(file)
  const zip = await JSZip.loadAsync(bytes)
  const names = Object.keys(zip.files)
  const entry = (name: string) => {
    const found = zip.file(name)
    if (!found) throw new Error(`${name} not in ${file}; it has ${names.join(', ')}`)
    return found
  }
  return {
    bytes,
    names,
    text: (name) => entry(name).async('string'),
    data: (name) => entry(name).async('uint8array'),
    tree: async (name) => fromHtml(await entry(name).async('string')),
  }
}

/** Elements of `tree` that `test` accepts, in document order. */
export function select(tree: Root | Element, test: (node: Element) => boolean): Element[] {
  const found: Element[] = []
  visit(tree, 'element', (node) => {
    if (test(node)) found.push(node)
  })
  return found
}

/** An attribute as written (hast-util-from-html keeps `epub:type` under that name). */
/** A contents list as nested arrays: each item's link text, and `[text, [its items]]` where it holds a list. */
export function linkTree(ol: Element): unknown[] {
  return (ol.children.filter((node) => node.type === 'element') as Element[]).map((li) => {
    const link = toString((li.children as Element[]).find((node) => node.type === 'element' && node.tagName === 'a')!)
    const nested = (li.children as Element[]).find((node) => node.type === 'element' && node.tagName === 'ol')
    return nested ? [link, linkTree(nested)] : link
  })
}

export function attr(node: Element, name: string): string | undefined {
  const value = node.properties[name] ?? node.properties[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]
  return value === undefined || value === null ? undefined : Array.isArray(value) ? value.join(' ') : String(value)
}

export { toString }

/** Run epubcheck (Debian's 4.2.6 jar); counts of each severity and the report. */
export function epubcheck(file: string): Promise<{ errors: number; warnings: number; fatals: number; output: string }> {
  const jar = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar'
  return new Promise((resolve, reject) => {
    // A short run: the JIT's first tier and the serial collector halve its CPU time (15.5 → 8.1 s on the sample), same report.
    execFile('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', jar, file], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`
      const counts = /Messages: (\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?/.exec(output)
      if (!counts) {
        reject(new Error(`epubcheck did not run (${error?.message ?? 'no summary'}). Install it: apt-get install epubcheck (the tests use ${jar})\n${output}`))
        return
      }
      resolve({ fatals: Number(counts[1]), errors: Number(counts[2]), warnings: Number(counts[3]), output: output.split('\n').map((line) => line.slice(0, 400)).join('\n') })
    })
  })
}

/** Run DAISY Ace (its puppeteer runner) with the browser Quire finds; the report's outcome and violations. */
export async function ace(file: string): Promise<{ outcome: string; violations: string[] }> {
  const browser = await findBrowser()
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-ace-'))
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'node_modules/@daisy/ace-cli/bin/ace.js'), '--silent', '--outdir', out, '--force', file],
      { env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser.executablePath }, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => (error ? reject(new Error(`Ace failed to run: ${stderr || error.message}`)) : resolve()),
    )
  })
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as {
    'earl:result': { 'earl:outcome': string }
    assertions: { 'earl:testSubject': { url: string }; assertions: { 'earl:test': { 'dct:title': string }; 'earl:result': { 'dct:description': string } }[] }[]
  }
  const violations = report.assertions.flatMap((subject) =>
    subject.assertions.map((one) => `${subject['earl:testSubject'].url}: ${one['earl:test']['dct:title']}: ${one['earl:result']['dct:description']}`),
  )
  return { outcome: report['earl:result']['earl:outcome'], violations }
}
