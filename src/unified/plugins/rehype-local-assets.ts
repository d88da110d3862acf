/**
 * Keep every file reference inside the manuscript. Images must be local
 * files that exist inside the manuscript folder (after following symlinks);
 * remote images are never fetched; links with script or file schemes are
 * dropped; only images every edition can show and none can run (JPEG, PNG,
 * GIF that decode; SVG with nothing active or external, see
 * `inspectImage`) are kept. Kept images get a manuscript-relative `src` and
 * are listed in `file.data.assets` for the renderers to write; an image
 * that is not kept becomes a visible placeholder, never an `<img>` without `src`.
 */
import { existsSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'
import { inspectImage } from '../../manuscript/images.ts'
import { isInside } from '../../manuscript/inside.ts'
import { decodeUri } from '../../manuscript/uri.ts'
import { markUnresolvedLink, unlink } from '../unresolved-link.ts'
import { markUnresolvedImage } from '../unresolved-image.ts'

export interface LocalAssetsOptions {
  /** Absolute path of the manuscript folder. */
  root: string
}

const scheme = /^([a-z][a-z0-9+.-]*):/i

/** Check image sources and link targets; rewrite local images to manuscript paths. */
export function rehypeLocalAssets(options: LocalAssetsOptions) {
  const root = path.resolve(options.root)
  let realRoot: string | undefined
  return async function (tree: Root, file: VFile) {
    realRoot ??= realpathSync(root)
    const assets = new Set<string>()
    // Every path looked at, so a stored result of this stage is reused only while they stay as they were.
    file.data.examined = []
    const chapterDir = file.dirname ? path.resolve(file.cwd, file.dirname) : root
    const images: Element[] = []
    visit(tree, 'element', (node) => {
      if (node.tagName === 'img') images.push(node)
      else if (node.tagName === 'a') checkLink(node, file, chapterDir, root)
    })
    // One file read through once, however often the chapter shows it.
    const inspections = new Map<string, ReturnType<typeof inspectImage>>()
    for (const node of images) await checkImage(node, file, chapterDir, realRoot, root, assets, inspections)
    file.data.assets = [...assets]
  }
}

async function checkImage(node: Element, file: VFile, chapterDir: string, realRoot: string, root: string, assets: Set<string>, inspections: Map<string, ReturnType<typeof inspectImage>>): Promise<void> {
  const src = typeof node.properties.src === 'string' ? node.properties.src.trim() : ''
  // Reported, and shown in a draft as its alt text with a marker, never as an <img> without a source.
  const refuse = (ruleId: Parameters<typeof report>[1], reason: string) => {
    report(file, ruleId, reason, node)
    markUnresolvedImage(node)
  }
  if (!src) return refuse('asset-missing', 'Image with no source: give the path of the image file, relative to the chapter file (e.g. `![A map](images/map.png)`)')
  const protocol = scheme.exec(src)?.[1]?.toLowerCase()
  if (protocol === 'http' || protocol === 'https' || src.startsWith('//')) {
    return refuse('asset-remote', `Unexpected remote image \`${src}\`: Quire never fetches from the network. Download the image into the manuscript folder (e.g. images/) and refer to it by a relative path`)
  }
  if (protocol || path.isAbsolute(src) || src.startsWith('\\')) return refuse('asset-outside', `Unexpected image \`${src}\`: images must be relative paths inside the manuscript folder`)
  const absolute = path.resolve(chapterDir, decodeUri(src.replace(/[?#].*$/, '')))
  file.data.examined!.push(absolute)
  if (!isInside(root, absolute)) return refuse('asset-outside', `Unexpected image \`${src}\`: it lies outside the manuscript folder. Copy it into the manuscript (e.g. images/)`)
  let real: string
  try {
    real = realpathSync(absolute)
    if (!statSync(real).isFile()) throw new Error('not a file')
  } catch {
    return refuse('asset-missing', `Image \`${src}\` not found (looked for ${path.relative(file.cwd, absolute)}). Check the path, relative to the chapter file`)
  }
  if (!isInside(realRoot, real)) return refuse('asset-outside', `Unexpected image \`${src}\`: it is a link to a file outside the manuscript folder. Copy the file into the manuscript instead`)
  let inspection = inspections.get(real)
  if (!inspection) inspections.set(real, (inspection = inspectImage(real)))
  const { refusal } = await inspection
  if (refusal) return refuse(refusal.ruleId, `${refusal.ruleId === 'asset-unsafe-svg' ? 'SVG image' : 'Image'} \`${src}\` ${refusal.reason}`)
  const relative = path.relative(root, absolute).split(path.sep).join('/')
  assets.add(relative)
  node.properties.src = relative
}

function checkLink(node: Element, file: VFile, chapterDir: string, root: string): void {
  const href = typeof node.properties.href === 'string' ? node.properties.href.trim() : ''
  if (!href || href.startsWith('#')) return
  const protocol = scheme.exec(href)?.[1]?.toLowerCase()
  if (protocol) {
    if (protocol === 'http' || protocol === 'https' || protocol === 'mailto') return
    report(file, 'unsafe-url', `Unexpected \`${protocol}:\` link: only http, https and mailto links are kept. The link text stays, without the link`, node)
    // Its text, not an <a> without a target.
    unlink(node)
    return
  }
  if (href.startsWith('//')) return
  // Decoded first, so `..%2F` cannot pass for a name inside the manuscript.
  const target = path.resolve(chapterDir, decodeUri(href.replace(/[?#].*$/, '')))
  // Both are errors; a draft shows the text with a visible marker rather than a link into nothing.
  if (path.isAbsolute(href) || !isInside(root, target)) {
    report(file, 'asset-outside', `Unexpected link \`${href}\`: it points outside the manuscript folder. The link text stays, without the link`, node)
    markUnresolvedLink(node, href)
    return
  }
  file.data.examined!.push(target)
  if (!existsSync(target)) {
    report(file, 'link-file-missing', `Link \`${href}\` points at ${path.relative(file.cwd, target)}, which does not exist. Fix the path (relative to the chapter file), or remove the link`, node)
    markUnresolvedLink(node, href)
  }
}

