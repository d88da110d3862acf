/**
 * The preflight: what a print-on-demand store would refuse in the print
 * file and the cover, found in the built PDFs themselves (read-pdf.ts) and
 * reported as diagnostics, one vfile per PDF, each message with its page.
 * `build` runs it on the files it just made for a preset; `check --print`
 * on the files in the output folder.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import type { ResolvedConfig } from '../config/schema.ts'
import { stores, type PrintPreset } from '../config/stores.ts'
import { applyRuleSettings, report } from '../diagnostics/rules.ts'
import { checkCover } from './cover.ts'
import { checkInterior } from './interior.ts'
import { readPdf, type PdfFacts } from './read-pdf.ts'

/** A PDF to check: where it is shown as being, and its bytes (read from there when absent). */
interface PreflightFile {
  path: string
  bytes?: Uint8Array
}

/**
 * Check the print file and the cover (`<slug>-print.pdf`, `<slug>-cover.pdf`
 * in `out`) against the preset's store: `bytesOf` gives a file's bytes
 * before it is written there (the build), else it is read (`check --print`).
 * The cover's size is checked against the interior's page count. A file
 * that cannot be read is an error on that file, not a thrown exception.
 * book.yaml's `checks:` apply as to every other rule.
 */
export async function preflight(config: ResolvedConfig, preset: PrintPreset, out: string, cwd: string, bytesOf: (name: string) => Uint8Array | undefined = () => undefined): Promise<VFile[]> {
  const store = stores[preset.store]
  const located = (name: string): PreflightFile => {
    const bytes = bytesOf(name)
    return { path: path.join(out, name), ...(bytes ? { bytes } : {}) }
  }
  const files = { interior: located(`${config.slug}-print.pdf`), cover: located(`${config.slug}-cover.pdf`) }
  const interiorFile = new VFile({ path: path.relative(cwd, files.interior.path) || files.interior.path, cwd })
  const coverFile = new VFile({ path: path.relative(cwd, files.cover.path) || files.cover.path, cwd })
  const interior = await read(files.interior, interiorFile, 'print file')
  if (interior) checkInterior(interior, { config, preset, store }, interiorFile)
  const cover = await read(files.cover, coverFile, 'cover')
  if (cover) checkCover(cover, { config, preset, store, pages: interior?.pages.length }, coverFile)
  applyRuleSettings([interiorFile, coverFile], config.checks)
  return [interiorFile, coverFile]
}

/** The file's facts, or undefined with an error on it when it is missing or cannot be read as a PDF. */
async function read(file: PreflightFile, messages: VFile, role: string): Promise<PdfFacts | undefined> {
  const bytes = await load(file, messages, role)
  if (!bytes) return undefined
  try {
    return await readPdf(bytes)
  } catch (error) {
    report(messages, 'print-file-unreadable', `The ${role} ${messages.path} cannot be read as a PDF (${(error as Error).message}): build it again with \`quire build --format pdf\``)
    return undefined
  }
}

async function load(file: PreflightFile, messages: VFile, role: string): Promise<Uint8Array | undefined> {
  if (file.bytes) return file.bytes
  try {
    return await readFile(file.path)
  } catch {
    report(messages, 'print-file-missing', `Expected the ${role} at ${messages.path}: build the book with \`quire build --format pdf\` first`)
    return undefined
  }
}
