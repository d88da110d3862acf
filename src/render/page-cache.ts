/**
 * Chapter pages of the split editions (the web edition's pages, the EPUB's
 * documents), finished and kept between builds. A chapter's page is made of
 * its HTML tree (known by the digest the HTML stage gave it), the page
 * around it (title, labels, neighbours: the page built with an empty body)
 * and where its links lead, which is the only thing it reads of the other
 * pages. Those three are the key, so one edited chapter makes one page again,
 * and a renamed chapter also the pages whose links or neighbours changed.
 * The cache test's byte-identity against a clean build is the proof.
 */
import type { Root } from 'hast'
import { cacheKey, openCache } from '../cache/store.ts'
import type { Chapter } from '../model/types.ts'
import { anchorsAndLinks } from '../unified/anchors.ts'
import { linkIndex, linkPage, resolveHref, type CrossLinkOptions, type LinkedPage } from './cross-links.ts'
import type { RenderContext } from './types.ts'

export interface PagePlan {
  /** File name the page is written to. */
  path: string
  /** The page, or for a chapter's page the page with an empty body. */
  tree: Root
  /** The chapter whose body goes in the page. */
  chapter?: Chapter
}

export interface RenderPagesOptions<T> {
  /** Cache kind: one per edition. */
  kind: string
  context: RenderContext
  links: CrossLinkOptions
  /** A chapter's whole page (its body cloned into it), for one not in the cache. */
  whole(plan: PagePlan & { chapter: Chapter }): Root
  /** What else a chapter's finished page depends on, as text (the EPUB's image names). */
  extra?(plan: PagePlan & { chapter: Chapter }): string
  /** The finished page, from its tree with links resolved; kept as it is (structured-clone data). */
  finish(page: LinkedPage): T
}

/** Every page finished, in order; a chapter's from the cache when its key is unchanged. */
export async function renderPages<T>(plans: PagePlan[], options: RenderPagesOptions<T>): Promise<T[]> {
  const cache = openCache(options.context.reuse === false ? undefined : options.context.cacheDir)
  const found = plans.map((plan) => anchorsAndLinks(plan.tree))
  const index = linkIndex(plans.map((plan, at) => ({ path: plan.path, anchors: plan.chapter ? [...found[at]!.anchors, ...plan.chapter.anchors] : found[at]!.anchors })))
  const stored: Promise<void>[] = []
  const pages = await Promise.all(
    plans.map(async (plan, at): Promise<T> => {
      const { chapter } = plan
      if (!chapter) {
        linkPage(plan, index, options.links)
        return options.finish(plan)
      }
      const chapterPlan = plan as PagePlan & { chapter: Chapter }
      const hrefs = [...new Set([...found[at]!.hrefs, ...chapter.hrefs])]
      const resolved = hrefs.map((href) => [href, resolveHref(href, plan.path, index, options.links)])
      const key = cacheKey(options.kind, chapter.digest, plan.path, JSON.stringify(plan.tree), JSON.stringify(resolved), options.extra?.(chapterPlan) ?? '')
      const cached = await cache.get<T>(options.kind, key)
      if (cached !== undefined) return cached
      const page = { path: plan.path, tree: options.whole(chapterPlan) }
      linkPage(page, index, options.links)
      const finished = options.finish(page)
      stored.push(cache.set(options.kind, key, finished))
      return finished
    }),
  )
  await Promise.all(stored)
  await cache.prune(options.kind)
  return pages
}

/** The chapter with no body: its page built from it is the page around the body. */
export function withoutBody(chapter: Chapter): Chapter {
  return { ...chapter, hast: { type: 'root', children: [] } }
}
