/**
 * One reader of image files for the whole build. The pipeline asks
 * `inspectImage` whether an image may go into the book (and reports why
 * not, at the reference); the renderers ask `editionImage` for the bytes to
 * write, which for an SVG are its sanitized serialization and never the
 * file as read. Both look at the same file through the same checks, so an
 * image changed between the two is refused, not copied.
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { sniffImage, type ImageMediaType } from './media-types.ts'
import { rasterProblem, rasterStructureProblem, type RasterMediaType } from './raster.ts'
import { inspectSvg, type SvgProblem } from './svg.ts'

/** Why an image cannot go into the book: the rule it breaks and what is wrong, as a clause (“is corrupt: …”). */
export interface ImageRefusal {
  ruleId: 'asset-unsupported' | 'asset-corrupt' | 'asset-unsafe-svg'
  reason: string
}

export type ImageInspection = { mediaType: ImageMediaType; refusal?: undefined } | { mediaType?: ImageMediaType; refusal: ImageRefusal }

/** Read the image at `file` through and decide whether every edition can carry it. */
export async function inspectImage(file: string): Promise<ImageInspection> {
  const bytes = await readFile(file)
  const mediaType = sniffImage(bytes)
  if (!mediaType) return { refusal: { ruleId: 'asset-unsupported', reason: 'is not a JPEG, PNG, GIF or SVG file, which is all EPUB reading systems must show. Convert it (e.g. to PNG) and refer to the converted file' } }
  if (mediaType === 'image/svg+xml') {
    const text = decodeUtf8(bytes)
    if (text === undefined) return { mediaType, refusal: corrupt('it is not UTF-8 text (save it as UTF-8)') }
    const refusal = svgRefusal(inspectSvg(text).problems)
    return refusal ? { mediaType, refusal } : { mediaType }
  }
  const problem = await rasterProblem(bytes, mediaType)
  return problem ? { mediaType, refusal: corrupt(problem) } : { mediaType }
}

/**
 * The bytes an edition writes for the image at `file`, which the pipeline
 * has accepted: an SVG re-serialized from its parsed tree, a raster image
 * as it is once its structure checks out. Throws if the file no longer
 * passes (it changed during the build).
 */
export function editionImage(file: string): { mediaType: ImageMediaType; bytes: Uint8Array } {
  const bytes = readFileSync(file)
  const mediaType = sniffImage(bytes)
  const changed = (why: string) => new Error(`Image ${file} changed during the build and ${why}: build again`)
  if (!mediaType) throw changed('is no longer a JPEG, PNG, GIF or SVG file')
  if (mediaType === 'image/svg+xml') {
    const text = decodeUtf8(bytes)
    if (text === undefined) throw changed('is no longer UTF-8 text')
    const { serialized, problems } = inspectSvg(text)
    if (serialized === undefined) throw changed(`now ${svgRefusal(problems)?.reason ?? 'does not parse'}`)
    return { mediaType, bytes: Buffer.from(serialized, 'utf8') }
  }
  const problem = rasterStructureProblem(bytes, mediaType as RasterMediaType)
  if (problem) throw changed(`is now corrupt: ${problem}`)
  return { mediaType, bytes }
}

function corrupt(problem: string): ImageRefusal {
  return { ruleId: 'asset-corrupt', reason: `is corrupt: ${problem}, so no reader can show it. Export it again from the original and check that it opens in an image viewer` }
}

/** SVG text, or undefined when it is not UTF-8 (a reader would show U+FFFD or refuse it). */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** The refusal for an SVG's problems: unsafe constructs first, as they are what the author must remove. */
function svgRefusal(problems: SvgProblem[]): ImageRefusal | undefined {
  if (problems.length === 0) return undefined
  const shown = problems.slice(0, 6).map((problem) => `${problem.what}${problem.line === undefined ? '' : ` (line ${problem.line})`}`)
  const more = problems.length > shown.length ? ` and ${problems.length - shown.length} more` : ''
  const list = `${shown.join('; ')}${more}`
  if (problems.some((problem) => problem.kind === 'unsafe')) {
    return { ruleId: 'asset-unsafe-svg', reason: `holds what no edition may carry, as it could run code or fetch other files: ${list}. Remove it from the SVG file (an editor's “plain” or “optimized” SVG export leaves it out), or export the image as PNG` }
  }
  return corrupt(`it is not a well-formed SVG document: ${list}`)
}
