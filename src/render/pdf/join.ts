/**
 * One PDF from the print jobs' PDFs (see print-jobs.ts), in order: every
 * page with its content as printed, and in the screen edition the
 * bookmarks as one tree, the named destinations, links across jobs, and
 * the tagged structure as one tree. pdf-lib parses and writes; the objects
 * are copied as they are, renumbered, so nothing on a page is re-encoded.
 *
 * What has to be merged rather than copied:
 * - the page tree: one flat `/Pages` (Chromium writes flat ones);
 * - the outline: each job's top-level items, chained in job order (each job
 *   opens with a chapter's `h1`, so no item's children straddle two jobs);
 * - `/Dests`: names are element ids, unique in the book;
 * - links to another job's pages: printed as `quire-dest:` URIs (a job has
 *   no destination for what it does not hold) and turned here into links
 *   to the named destination;
 * - the structure tree: one `/Document` element holding every job's
 *   elements, the parent tree's keys (and each page's `/StructParents`,
 *   each annotation's `/StructParent`) moved past the jobs before it, and
 *   the element ids (`/ID`, Chromium's DOM node numbers, which repeat from
 *   job to job) renumbered across the book.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRawStream, PDFRef, PDFString } from 'pdf-lib'
import { decodeUri } from '../../manuscript/uri.ts'
import { parsePdf, type ParsedPdf } from './pdf-file.ts'

/** The scheme of a link from one print job to a destination another job prints. */
export const JOB_LINK_SCHEME = 'quire-dest:'

/** What a joined file keeps besides the pages. */
export interface JoinOptions {
  /** Outline, named destinations, links and tags (the screen edition); without, pages only (print-on-demand). */
  screen: boolean
}

const name = (value: string) => PDFName.of(value)
const K = {
  A: name('A'), Count: name('Count'), D: name('D'), Dest: name('Dest'), Dests: name('Dests'), First: name('First'), Headers: name('Headers'), ID: name('ID'),
  IDTree: name('IDTree'), Info: name('Info'), K: name('K'), Kids: name('Kids'), Last: name('Last'), MarkInfo: name('MarkInfo'), Names: name('Names'), Next: name('Next'),
  Nums: name('Nums'), Outlines: name('Outlines'), P: name('P'), Pages: name('Pages'), Parent: name('Parent'), ParentTree: name('ParentTree'),
  ParentTreeNextKey: name('ParentTreeNextKey'), Prev: name('Prev'), S: name('S'), StructParent: name('StructParent'), StructParents: name('StructParents'),
  StructTreeRoot: name('StructTreeRoot'), Type: name('Type'), URI: name('URI'),
}
/** Catalog entries built here, not copied from the first job. */
const BUILT = new Set(['Pages', 'Outlines', 'Dests', 'StructTreeRoot', 'MarkInfo', 'Type'])

/** Join the jobs' PDFs, in book order, into one. Deterministic: the same inputs give the same bytes, whatever their object numbers. */
export async function joinPdfs(parts: (Uint8Array | ParsedPdf)[], options: JoinOptions): Promise<Uint8Array> {
  if (parts.length === 0) throw new Error('Nothing to join: no print job produced a PDF')
  const out = await PDFDocument.create({ updateMetadata: false })
  const context = out.context
  const catalog = out.catalog
  const pagesRef = context.nextRef()
  const kids: PDFRef[] = []
  const outlineRef = options.screen ? context.nextRef() : undefined
  const structRootRef = options.screen ? context.nextRef() : undefined
  const documentRef = options.screen ? context.nextRef() : undefined
  const dests = context.obj({}) as PDFDict
  const documentKids: PDFObject[] = []
  const parentTree: [number, PDFObject][] = []
  const ids: [string, PDFObject][] = []
  let nextKey = 0
  let nextId = 0
  let outlineCount = 0
  let lastItem: PDFRef | undefined
  let firstItem: PDFRef | undefined
  let documentElement: PDFDict | undefined
  const links: PDFDict[] = []

  for (const [index, bytes] of parts.entries()) {
    const source = bytes instanceof Uint8Array ? await parsePdf(bytes) : bytes
    const sourceCatalog = source.catalog
    const structRoot = options.screen ? sourceCatalog.lookupMaybe(K.StructTreeRoot, PDFDict) : undefined
    const keyOffset = nextKey
    const idMap = new Map<string, string>()
    const renameId = (id: string) => {
      let renamed = idMap.get(id)
      if (renamed === undefined) idMap.set(id, (renamed = `node${String(++nextId).padStart(8, '0')}`))
      return renamed
    }
    const copier = copierFor(source, out, (dict) => {
      // Pages and annotations: their keys into the parent tree move past the jobs before.
      for (const key of [K.StructParents, K.StructParent]) {
        const value = dict.get(key)
        if (value instanceof PDFNumber) dict.set(key, PDFNumber.of(value.asNumber() + keyOffset))
      }
      if (dict.has(K.S)) {
        const id = dict.get(K.ID)
        if (id instanceof PDFString || id instanceof PDFHexString) dict.set(K.ID, PDFString.of(renameId(id.decodeText())))
      }
      const headers = dict.get(K.Headers)
      if (headers instanceof PDFArray) {
        dict.set(K.Headers, context.obj(headers.asArray().map((header) => (header instanceof PDFString || header instanceof PDFHexString ? PDFString.of(renameId(header.decodeText())) : header))))
      }
      const action = dict.get(K.A)
      const uri = action instanceof PDFDict ? action.get(K.URI) : undefined
      if ((uri instanceof PDFString || uri instanceof PDFHexString) && uri.decodeText().startsWith(JOB_LINK_SCHEME)) links.push(dict)
    })
    // Everything that pointed at the job's own roots points at the joined file's.
    const pageTree = sourceCatalog.get(K.Pages)
    if (pageTree instanceof PDFRef) copier.alias(pageTree, pagesRef)
    if (structRoot && structRootRef && documentRef) {
      const rootRef = sourceCatalog.get(K.StructTreeRoot)
      if (rootRef instanceof PDFRef) copier.alias(rootRef, structRootRef)
      for (const element of items(structRoot.get(K.K))) {
        const dict = source.context.lookup(element)
        // Chromium's root holds one /Document element; its kids become the joined /Document's.
        if (element instanceof PDFRef && dict instanceof PDFDict && dict.get(K.S) === name('Document')) {
          copier.alias(element, documentRef)
          documentElement ??= dict
          documentKids.push(...items(dict.get(K.K)).map((kid) => copier.copy(kid)))
        } else documentKids.push(copier.copy(element))
      }
    }

    const pages = source.getPages().map((page) => copier.copy(page.ref) as PDFRef)
    let outlineLink: [PDFRef, PDFRef] | undefined
    if (options.screen) {
      const outline = sourceCatalog.lookupMaybe(K.Outlines, PDFDict)
      const first = outline?.get(K.First)
      const last = outline?.get(K.Last)
      const outlineSource = sourceCatalog.get(K.Outlines)
      if (outline && outlineRef && first instanceof PDFRef && last instanceof PDFRef && outlineSource instanceof PDFRef) {
        copier.alias(outlineSource, outlineRef)
        const copiedFirst = copier.copy(first) as PDFRef
        const copiedLast = copier.copy(last) as PDFRef
        if (lastItem) outlineLink = [lastItem, copiedFirst]
        firstItem ??= copiedFirst
        lastItem = copiedLast
        outlineCount += outline.lookupMaybe(K.Count, PDFNumber)?.asNumber() ?? 0
      }
      const sourceDests = sourceCatalog.lookupMaybe(K.Dests, PDFDict)
      for (const [key, value] of sourceDests?.entries() ?? []) dests.set(key, copier.copy(value))
      if (structRoot) {
        for (const [key, value] of numberTree(source, structRoot.get(K.ParentTree))) parentTree.push([key + keyOffset, copier.copy(value)])
        for (const [id, value] of nameTree(source, structRoot.get(K.IDTree))) ids.push([renameId(id), copier.copy(value)])
        nextKey = keyOffset + (structRoot.lookupMaybe(K.ParentTreeNextKey, PDFNumber)?.asNumber() ?? Math.max(-1, ...numberTree(source, structRoot.get(K.ParentTree)).map(([key]) => key)) + 1)
      }
    }
    copier.finish()
    for (const ref of pages) context.lookup(ref, PDFDict).set(K.Parent, pagesRef)
    kids.push(...pages)
    if (outlineLink) {
      // The last item of the jobs before, and this job's first.
      context.lookup(outlineLink[0], PDFDict).set(K.Next, outlineLink[1])
      context.lookup(outlineLink[1], PDFDict).set(K.Prev, outlineLink[0])
    }
    if (index === 0) {
      for (const [key, value] of sourceCatalog.entries()) if (!BUILT.has(key.asString().slice(1))) catalog.set(key, copier.copy(value))
      const info = source.context.trailerInfo.Info
      if (info) context.trailerInfo.Info = copier.copy(info as PDFObject)
      copier.finish()
    }
  }

  context.assign(pagesRef, context.obj({ Type: 'Pages', Count: kids.length, Kids: kids }))
  catalog.set(K.Pages, pagesRef)
  if (options.screen) {
    const byName = new Map(dests.keys().map((key) => [decodeUri(key.decodeText()), key]))
    for (const link of links) {
      const uri = (link.lookup(K.A, PDFDict).get(K.URI) as PDFString | PDFHexString).decodeText()
      const target = byName.get(decodeUri(uri.slice(JOB_LINK_SCHEME.length)))
      if (!target) throw new Error(`A link in the PDF points to #${uri.slice(JOB_LINK_SCHEME.length)}, which no print job printed. Please report this with the manuscript`)
      link.delete(K.A)
      link.set(K.Dest, target)
    }
    if (dests.keys().length > 0) catalog.set(K.Dests, context.register(dests))
    if (outlineRef && firstItem && lastItem) {
      context.assign(outlineRef, context.obj({ Type: 'Outlines', Count: outlineCount, First: firstItem, Last: lastItem }))
      catalog.set(K.Outlines, outlineRef)
    }
    if (structRootRef && documentRef && documentElement) {
      const element = context.obj({}) as PDFDict
      // Its own entries (/S, /Lang) are direct values.
      for (const [key, value] of documentElement.entries()) if (key !== K.K && key !== K.P && !(value instanceof PDFRef)) element.set(key, value)
      element.set(K.K, context.obj(documentKids))
      element.set(K.P, structRootRef)
      context.assign(documentRef, element)
      ids.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const root = context.obj({
        Type: 'StructTreeRoot',
        K: documentRef,
        ParentTree: context.register(context.obj({ Type: 'ParentTree', Nums: parentTree.flatMap(([key, value]) => [PDFNumber.of(key), value]) })),
        ParentTreeNextKey: nextKey,
      }) as PDFDict
      if (ids.length > 0) root.set(K.IDTree, context.register(context.obj({ Names: ids.flatMap(([id, value]) => [PDFString.of(id), value]) })))
      context.assign(structRootRef, root)
      catalog.set(K.StructTreeRoot, structRootRef)
      catalog.set(K.MarkInfo, context.obj({ Type: 'MarkInfo', Marked: true }))
    }
  }
  return out.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity })
}

/** A value as a list: an array's items, or the one value. */
function items(value: PDFObject | undefined): PDFObject[] {
  if (value === undefined) return []
  return value instanceof PDFArray ? value.asArray() : [value]
}

/** A number tree's entries, its kids' included, in order. */
function numberTree(source: PDFDocument, node: PDFObject | undefined): [number, PDFObject][] {
  const dict = node && source.context.lookup(node)
  if (!(dict instanceof PDFDict)) return []
  const nums = dict.lookupMaybe(K.Nums, PDFArray)?.asArray() ?? []
  const entries: [number, PDFObject][] = []
  for (let index = 0; index + 1 < nums.length; index += 2) entries.push([(nums[index] as PDFNumber).asNumber(), nums[index + 1]!])
  for (const kid of dict.lookupMaybe(K.Kids, PDFArray)?.asArray() ?? []) entries.push(...numberTree(source, kid))
  return entries
}

/** A name tree's entries, its kids' included, in order. */
function nameTree(source: PDFDocument, node: PDFObject | undefined): [string, PDFObject][] {
  const dict = node && source.context.lookup(node)
  if (!(dict instanceof PDFDict)) return []
  const names = dict.lookupMaybe(K.Names, PDFArray)?.asArray() ?? []
  const entries: [string, PDFObject][] = []
  for (let index = 0; index + 1 < names.length; index += 2) entries.push([(names[index] as PDFString | PDFHexString).decodeText(), names[index + 1]!])
  for (const kid of dict.lookupMaybe(K.Kids, PDFArray)?.asArray() ?? []) entries.push(...nameTree(source, kid))
  return entries
}

interface Copier {
  /** The copy of a value; indirect objects are given a number now and copied by `finish`. */
  copy(value: PDFObject): PDFObject
  /** Make references to `from` point to `to`, an object built by the caller. */
  alias(from: PDFRef, to: PDFRef): void
  /** Copy every indirect object referred to so far, breadth first. */
  finish(): void
}

/**
 * Copies objects from `source` into `target`, each indirect object once.
 * A page's `/Parent` is left out (the joined page tree sets it), so the
 * job's page tree is never copied. `adjust` sees each copied dictionary.
 */
function copierFor(source: PDFDocument, target: PDFDocument, adjust: (dict: PDFDict) => void): Copier {
  const refs = new Map<PDFRef, PDFRef>()
  const queue: PDFRef[] = []
  let next = 0
  const mapRef = (ref: PDFRef) => {
    let mapped = refs.get(ref)
    if (mapped === undefined) {
      refs.set(ref, (mapped = target.context.nextRef()))
      queue.push(ref)
    }
    return mapped
  }
  const copyDict = (dict: PDFDict): PDFDict => {
    const isPage = dict.get(K.Type) === name('Page')
    const copied = PDFDict.withContext(target.context)
    for (const [key, value] of dict.entries()) if (!(isPage && key === K.Parent)) copied.set(key, copy(value))
    adjust(copied)
    return copied
  }
  const copy = (value: PDFObject): PDFObject => {
    if (value instanceof PDFRef) return mapRef(value)
    if (value instanceof PDFDict) return copyDict(value)
    if (value instanceof PDFArray) return target.context.obj(value.asArray().map(copy))
    if (value instanceof PDFRawStream) return PDFRawStream.of(copyDict(value.dict), value.contents)
    // Names, numbers, strings, booleans and null are immutable and shared.
    return value
  }
  return {
    copy,
    alias(from, to) {
      refs.set(from, to)
    },
    finish() {
      for (; next < queue.length; next++) {
        const ref = queue[next]!
        const object = source.context.lookup(ref)
        if (object !== undefined) target.context.assign(refs.get(ref)!, copy(object))
      }
    },
  }
}
