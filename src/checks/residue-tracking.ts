/**
 * Rule `residue-tracking`: tracking parameters left in a URL (`utm_source`,
 * `fbclid` …) by a copied link. They say nothing to the reader and follow
 * them around; `--fix` removes them and keeps every other parameter.
 */
import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { reportSpan } from './prose.ts'
import { decodeUri } from '../manuscript/uri.ts'

const tracking = /^(?:utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|twclid|_hsenc|_hsmi|mkt_tok|ref_src|si)$/i
/**
 * A URL as written inside a link's source. A bare URL's link node already
 * ends where GFM ends it (before a sentence's full stop), so nothing is
 * trimmed here: a parameter value may end in `_` or `.`.
 */
const urlInSource = /(?:https?:\/\/|www\.)[^\s<>()"'\]]+/gi

export function remarkResidueTracking() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    const seen = new Set<number>()
    visit(tree, (node) => {
      if (node.type !== 'link' && node.type !== 'definition' && node.type !== 'image') return
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      if (start === undefined || end === undefined) return
      const raw = source.slice(start, end)
      urlInSource.lastIndex = 0
      for (let match = urlInSource.exec(raw); match; match = urlInSource.exec(raw)) {
        const at = start + match.index
        if (seen.has(at)) continue
        seen.add(at)
        checkUrl(file, match[0], at)
      }
    })
  }
}

function checkUrl(file: VFile, url: string, at: number): void {
  const queryStart = url.indexOf('?')
  if (queryStart < 0) return
  const hash = url.indexOf('#', queryStart)
  const queryEnd = hash < 0 ? url.length : hash
  const params = url.slice(queryStart + 1, queryEnd).split('&')
  const names = params.map((param) => decodeUri(param.split('=')[0]!))
  const dropped = names.filter((name) => tracking.test(name))
  if (dropped.length === 0) return
  const kept = params.filter((_, index) => !tracking.test(names[index]!))
  // The span reported: from the first tracking parameter to the end of the last.
  let offset = queryStart + 1
  let first = -1
  let last = -1
  params.forEach((param, index) => {
    if (tracking.test(names[index]!)) {
      if (first < 0) first = offset
      last = offset + param.length
    }
    offset += param.length + 1
  })
  reportSpan(
    file,
    'residue-tracking',
    `Unexpected tracking parameter${dropped.length > 1 ? 's' : ''} ${dropped.map((name) => `\`${name}\``).join(', ')} in a URL: copied with the link. Remove ${dropped.length > 1 ? 'them' : 'it'}`,
    at + first,
    at + last,
    {
      start: at + queryStart,
      end: at + queryEnd,
      text: kept.length > 0 ? `?${kept.join('&')}` : '',
      description: `removed ${dropped.map((name) => `\`${name}\``).join(', ')}`,
    },
  )
}
