/**
 * Check book.yaml's `cover:` before anything is built: it must be a JPEG or
 * PNG file inside the manuscript folder (after following symlinks), which
 * is what stores accept, and it must decode. A bad cover is dropped from the
 * configuration, so a draft build gets a generated one instead.
 */
import { realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { isInside } from './inside.ts'
import { inspectImage } from './images.ts'
import { pointOf } from './load.ts'

/** Report a `cover:` that no edition can use on book.yaml's vfile, at the value, and drop it. */
export async function checkCover(config: ResolvedConfig, configFile: VFile): Promise<void> {
  const cover = config.cover
  if (!cover) return
  const place = pointOf(String(configFile.value), cover)
  const fail = (reason: string, ruleId: 'cover-invalid' | 'asset-corrupt' = 'cover-invalid') => {
    report(configFile, ruleId, reason, place)
    delete config.cover
  }
  const absolute = path.resolve(config.root, cover)
  if (path.isAbsolute(cover) || !isInside(config.root, absolute)) return fail(`Cover \`${cover}\` lies outside the manuscript folder: copy the image into it (e.g. images/cover.jpg) and give that path`)
  let real: string
  try {
    real = realpathSync(absolute)
    if (!statSync(real).isFile()) throw new Error('not a file')
  } catch {
    return fail(`Cover \`${cover}\` not found in the manuscript folder: check the path, or remove \`cover:\` to have a typographic cover generated`)
  }
  if (!isInside(realpathSync(config.root), real)) return fail(`Cover \`${cover}\` is a link to a file outside the manuscript folder: copy the image into the manuscript instead`)
  const { mediaType, refusal } = await inspectImage(real)
  if (mediaType !== 'image/jpeg' && mediaType !== 'image/png') return fail(`Cover \`${cover}\` is not a JPEG or PNG image, which is what stores accept: convert it (1600 × 2560 pixels suits every store)`)
  if (refusal) return fail(`Cover \`${cover}\` ${refusal.reason}`, 'asset-corrupt')
}
