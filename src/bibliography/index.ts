/**
 * Everything the citation resolver needs, loaded once per build: the
 * references, the CSL style and the locale. Problems are reported on
 * book.yaml's vfile or on the bibliography files' own.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { VFile } from 'vfile'
import type { XmlJson } from 'citeproc'
import { report } from '../diagnostics/rules.ts'
import { closest } from '../diagnostics/suggest.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import type { CacheStore } from '../cache/store.ts'
import { isInside } from '../manuscript/inside.ts'
import { pointOf } from '../manuscript/load.ts'
import { loadBibliography } from './load.ts'
import { reportStyleMarkup } from './style-markup.ts'
import type { ResolveOptions } from './resolve.ts'
import { bundledStyleCached, bundledStyleIds, localeFor, realpathOrUndefined, styleFromFile, type CslStyle } from './styles.ts'

export { resolveCitations } from './resolve.ts'
export { referenceIds } from './bibliography.ts'

export interface CitationSetup {
  options: ResolveOptions
  /** The bibliography files' vfiles, for reporting. */
  files: VFile[]
}

/**
 * Load references, style and locale for a book. A book that cites nothing
 * and names no bibliography skips all of it (its footnotes still need the
 * resolver, which numbers them).
 */
export async function loadCitationSetup(config: ResolvedConfig, configFile: VFile, cites: boolean, cwd = process.cwd(), cache?: CacheStore): Promise<CitationSetup> {
  if (!cites && config.bibliography.length === 0) {
    return { files: [], options: { references: new Map(), style: undefined, locale: undefined, bibliographyNames: [], referenceFiles: new Map() } }
  }
  const { references, files, unread } = await loadBibliography(config, configFile, cwd)
  // book.yaml's `bibliography:` itself unread (its error is reported): any key may be in a file it names.
  const configUnread = configFile.data.configUnread ?? []
  if (configUnread.includes('*') || configUnread.includes('bibliography')) unread.push('book.yaml')
  const style = await loadStyle(config, configFile, files, cwd, cache)
  let locale: XmlJson | undefined
  if (style) locale = localeFor(config.language)
  return {
    files,
    options: {
      references,
      style,
      locale,
      bibliographyNames: config.bibliography,
      referenceFiles: new Map(files.map((file) => [file.path, file])),
      unread,
    },
  }
}

/** The style `citation-style` names: a bundled CSL style, or a `.csl` file inside the manuscript folder (whose markup warnings add a vfile to `files`). */
async function loadStyle(config: ResolvedConfig, configFile: VFile, files: VFile[], cwd: string, cache: CacheStore | undefined): Promise<CslStyle | undefined> {
  const name = config.citationStyle
  const where = pointOf(String(configFile.value), name)
  if (name.endsWith('.csl')) {
    if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
      report(configFile, 'citation-style-unknown', `Style file \`${name}\` must be inside the manuscript folder: name it relative to book.yaml (e.g. styles/house.csl)`, where)
      return undefined
    }
    const root = realpathOrUndefined(config.root) ?? config.root
    for (const candidate of [path.join(config.root, name), path.join(config.root, 'styles', name)]) {
      const real = realpathOrUndefined(candidate)
      if (!real) continue
      if (!isInside(root, real)) {
        report(configFile, 'asset-outside', `Style file \`${name}\` links outside the manuscript folder: copy the file in instead`, where)
        return undefined
      }
      try {
        const style = styleFromFile(real)
        // Its markup is reported against the style file itself, once, not in each chapter that cites.
        const marked = reportStyleMarkup(real, readFileSync(real, 'utf8'), cwd)
        if (marked) files.push(marked)
        return style
      } catch (error) {
        report(configFile, 'citation-style-unknown', `Style file \`${name}\` cannot be used: ${(error as Error).message}`, where)
        return undefined
      }
    }
    report(configFile, 'citation-style-unknown', `Style file \`${name}\` not found in ${path.basename(config.root)}/ or ${path.basename(config.root)}/styles/: add it, or name a bundled style such as chicago-notes-bibliography, chicago-author-date or apa`, where)
    return undefined
  }
  const style = await bundledStyleCached(name, cache)
  if (style) return style
  const hint = closest(name, bundledStyleIds())
  report(configFile, 'citation-style-unknown', `Unknown citation style \`${name}\`${hint ? `, did you mean \`${hint}\`?` : ''}: use chicago-notes-bibliography, chicago-author-date, apa, another CSL style id, or a .csl file`, where)
  return undefined
}
