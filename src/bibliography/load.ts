/**
 * Load the bibliography files `book.yaml` names, in CSL-JSON, CSL-YAML or
 * BibTeX/BibLaTeX, into one table of references keyed by citation key. Each
 * file gets a vfile of its own, so problems point into the file itself.
 */
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { report } from '../checks/rules.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { isInside } from '../manuscript/inside.ts'
import { pointOf } from '../manuscript/load.ts'
import { readBibtex } from './formats/bibtex.ts'
import { readCslJson } from './formats/csl-json.ts'
import { readCslYaml } from './formats/csl-yaml.ts'
import { normalizeItem } from './normalize.ts'
import type { ReadEntry, Reference } from './types.ts'

export interface LoadedBibliography {
  references: Map<string, Reference>
  /** One vfile per bibliography file read, with its diagnostics. */
  files: VFile[]
}

type Reader = (text: string, file: VFile) => ReadEntry[] | Promise<ReadEntry[]>

const readers: Record<string, Reader> = {
  '.json': readCslJson,
  '.yaml': readCslYaml,
  '.yml': readCslYaml,
  '.bib': readBibtex,
  '.bibtex': readBibtex,
  '.biblatex': readBibtex,
}

/** Read every bibliography file of the book. Problems with the list itself go on book.yaml's vfile. */
export async function loadBibliography(config: ResolvedConfig, configFile: VFile, cwd = process.cwd()): Promise<LoadedBibliography> {
  const references = new Map<string, Reference>()
  const files: VFile[] = []
  const configText = String(configFile.value)
  const realRoot = await realpath(config.root)
  for (const name of config.bibliography) {
    const where = pointOf(configText, name)
    const reader = readers[path.extname(name).toLowerCase()]
    if (!reader) {
      report(configFile, 'config-invalid', `Unknown bibliography format \`${name}\`: use .json (CSL-JSON), .yaml (CSL-YAML) or .bib (BibTeX/BibLaTeX), as your reference manager exports them`, where)
      continue
    }
    const absolute = path.resolve(config.root, name)
    let text: string
    try {
      const real = await realpath(absolute)
      if (path.isAbsolute(name) || !isInside(realRoot, real)) {
        report(configFile, 'asset-outside', `Bibliography \`${name}\` is outside the manuscript folder: move it into ${path.relative(cwd, config.root) || '.'} and name it relative to book.yaml`, where)
        continue
      }
      text = (await readFile(real, 'utf8')).replace(/^\uFEFF/, '')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read bibliography ${absolute}: ${(error as Error).message}`, { cause: error })
      report(configFile, 'bibliography-missing', `Bibliography \`${name}\` not found in ${path.relative(cwd, config.root) || '.'}: fix the name in \`bibliography:\` or add the file`, where)
      continue
    }
    const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: text })
    files.push(file)
    for (const entry of await reader(text, file)) addReference(references, entry, file)
  }
  return { references, files }
}

function addReference(references: Map<string, Reference>, entry: ReadEntry, file: VFile): void {
  const item = normalizeItem(entry.item)
  if (typeof item === 'string') {
    const id = typeof entry.item.id === 'string' ? ` \`${entry.item.id}\`` : ''
    report(file, 'reference-invalid', `Reference${id} ${item}: it cannot be cited until fixed`, entry.place)
    return
  }
  const first = references.get(item.id)
  if (first) {
    const firstAt = `${first.file}${first.place ? `:${first.place.line}:${first.place.column}` : ''}`
    report(file, 'reference-duplicate', `Duplicate reference key \`${item.id}\`: also defined at ${firstAt}. Keep one, or rename one of them and its citations`, entry.place)
    return
  }
  references.set(item.id, { key: item.id, item, file: file.path, ...(entry.place ? { place: entry.place } : {}) })
}
