/**
 * Keep every file reference inside the manuscript. Images must be local
 * files that exist inside the manuscript folder (after following symlinks);
 * remote images are never fetched; links with script or file schemes are
 * dropped; only formats every edition can show (JPEG, PNG, GIF, SVG) are
 * kept. Kept images get a manuscript-relative `src` and are listed in
 * `file.data.assets` for the renderers to copy or pack.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../../checks/rules.ts'
import { isInside } from '../../manuscript/inside.ts'
import { sniffImageFile, svgProblem } from '../../manuscript/media-types.ts'
import { decodeUri } from '../../manuscript/uri.ts'
import { markUnresolvedLink } from '../unresolved-link.ts'

export interface LocalAssetsOptions {
  /** Absolute path of the manuscript folder. */
  root: string
}

const scheme = /^([a-z][a-z0-9+.-]*):/i

/** Check image sources and link targets; rewrite local images to manuscript paths. */
export function rehypeLocalAssets(options: LocalAssetsOptions) {
  const root = path.resolve(options.root)
  let realRoot: string | undefined
  return function (tree: Root, file: VFile) {
    realRoot ??= realpathSync(root)
    const assets = new Set<string>()
    const chapterDir = file.dirname ? path.resolve(file.cwd, file.dirname) : root
    visit(tree, 'element', (node) => {
      if (node.tagName === 'img') checkImage(node, file, chapterDir, realRoot!, root, assets)
      else if (node.tagName === 'a') checkLink(node, file, chapterDir, root)
    })
    file.data.assets = [...assets]
  }
}

function checkImage(node: Element, file: VFile, chapterDir: string, realRoot: string, root: string, assets: Set<string>): void {
  const src = typeof node.properties.src === 'string' ? node.properties.src.trim() : ''
  if (!src) return
  const protocol = scheme.exec(src)?.[1]?.toLowerCase()
  if (protocol === 'http' || protocol === 'https' || src.startsWith('//')) {
    report(file, 'asset-remote', `Unexpected remote image \`${src}\`: Quire never fetches from the network. Download the image into the manuscript folder (e.g. images/) and refer to it by a relative path`, node)
    delete node.properties.src
    return
  }
  if (protocol || path.isAbsolute(src) || src.startsWith('\\')) {
    report(file, 'asset-outside', `Unexpected image \`${src}\`: images must be relative paths inside the manuscript folder`, node)
    delete node.properties.src
    return
  }
  const absolute = path.resolve(chapterDir, decodeUri(src.replace(/[?#].*$/, '')))
  if (!isInside(root, absolute)) {
    report(file, 'asset-outside', `Unexpected image \`${src}\`: it lies outside the manuscript folder. Copy it into the manuscript (e.g. images/)`, node)
    delete node.properties.src
    return
  }
  let real: string
  try {
    real = realpathSync(absolute)
    if (!statSync(real).isFile()) throw new Error('not a file')
  } catch {
    report(file, 'asset-missing', `Image \`${src}\` not found (looked for ${path.relative(file.cwd, absolute)}). Check the path, relative to the chapter file`, node)
    delete node.properties.src
    return
  }
  if (!isInside(realRoot, real)) {
    report(file, 'asset-outside', `Unexpected image \`${src}\`: it is a link to a file outside the manuscript folder. Copy the file into the manuscript instead`, node)
    delete node.properties.src
    return
  }
  const mediaType = sniffImageFile(real)
  const unsafe = mediaType === 'image/svg+xml' ? svgProblem(readFileSync(real, 'utf8')) : undefined
  if (unsafe) {
    report(file, 'asset-unsupported', `SVG image \`${src}\` ${unsafe}, which no edition may carry: remove it from the file (inline what it refers to) or export the image as PNG`, node)
    delete node.properties.src
    return
  }
  if (!mediaType) {
    report(file, 'asset-unsupported', `Image \`${src}\` is not a JPEG, PNG, GIF or SVG file, which is all EPUB reading systems must show. Convert it (e.g. to PNG) and refer to the converted file`, node)
    delete node.properties.src
    return
  }
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
    delete node.properties.href
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
  if (!existsSync(target)) {
    report(file, 'link-file-missing', `Link \`${href}\` points at ${path.relative(file.cwd, target)}, which does not exist. Fix the path (relative to the chapter file), or remove the link`, node)
    markUnresolvedLink(node, href)
  }
}

