/*
 * Footnotes at the foot of the page, laid out in the print page (footnotes.ts
 * runs this with page.evaluate). It runs on the screen layout, where every
 * part is a box of columns exactly the page's content area (paginate.ts),
 * so column k of a part is its page k.
 *
 * For each part, page after page:
 * 1. the page's lines are read (text lines from their client rects; a table
 *    row, a figure or an image is one unbreakable line) with the note calls
 *    on each;
 * 2. lines are taken while the line and the notes called so far fit the
 *    page, the last note allowed to run on with at least two of its lines
 *    here; then the break moves up for a heading kept with what follows, an
 *    orphan or a widow, but never above the page's first line;
 * 3. the text is split at that line (the elements around it cloned, as
 *    Chromium's own fragmentation would cut them) and a block holding the
 *    page's notes, as tall as the rest of the page, goes in there, with a
 *    forced break after it; a note taller than the room left is split at a
 *    line and its remainder opens the next page's notes;
 * 4. the layout is read again to confirm the block ends on the page; if not,
 *    the split is undone and the break moves up a line.
 * Printing lays the split document out as the columns did.
 */
function layoutFootnotes(width, height) {
  const report = { pages: 0, notes: 0, split: 0, problems: [] }
  for (const part of document.querySelectorAll('body > .part')) {
    const store = part.querySelector('.quire-note-store')
    if (store && store.children.length > 0) layoutPart(part, store, width, height, report)
  }
  return report
}

/** Room kept free at the foot of each page, in CSS pixels, so rounding never pushes a notes block over. */
const SLACK = 1
/** Lines of a note that must print on the page of its call when the note runs on to the next. */
const NOTE_LINES = 2
// SVG and MathML elements keep their lowercase tag names in an HTML document.
const ATOMIC = new Set(['TR', 'FIGURE', 'IMG', 'HR', 'VIDEO', 'AUDIO', 'PICTURE', 'OBJECT', 'IFRAME', 'CANVAS', 'svg', 'math'])
const SKIPPED = '.quire-note-store, .quire-link-targets, .page-notes'

function layoutPart(part, store, width, height, report) {
  const notes = new Map([...store.children].map((note) => [note.id, note]))
  const calls = []
  const called = new Set()
  for (const call of part.querySelectorAll('a[role="doc-noteref"]')) {
    if (call.closest(SKIPPED)) continue
    const id = decodeURIComponent((call.getAttribute('href') || '').slice(1))
    if (!notes.has(id) || called.has(id)) continue
    called.add(id)
    calls.push({ element: call, id })
  }
  const measurer = makeMeasurer(part, store, width)
  let start = part.firstChild
  // Notes run on from the page before (remainders, or notes not begun), in order.
  let carry = []
  let next = 0
  for (let column = 0; start || carry.length > 0; column++) {
    const origin = part.getBoundingClientRect()
    const { lines, following } = readLines(part, start, column, origin, width)
    if (lines.length === 0) {
      // A note's remainder after the part's last line: pages of notes only, as many as it takes.
      while (carry.length > 0) {
        const block = notesBlock(true)
        part.append(block)
        const top = block.getBoundingClientRect().top - origin.top
        const room = height - SLACK - top
        const fitted = fitNotes(measurer, carry, [], room, 1)
        // Nothing of them fits a page of its own: a line taller than the page.
        if (!fitted || measurer.list.children.length === 0) {
          report.problems.push(`a line of a note of #${part.id} is taller than a page`)
          break
        }
        settle(block, measurer, room)
        report.pages++
        carry = fitted.deferred
      }
      break
    }
    // The calls on this page's lines, in order.
    while (next < calls.length) {
      const rect = calls[next].element.getClientRects()[0]
      if (!rect) {
        next++
        continue
      }
      const callColumn = columnOf(rect, origin, width)
      if (callColumn > column) break
      const middle = rect.top + rect.height / 2 - origin.top
      let line = lines.findLast((candidate) => candidate.top <= middle + 0.5) || lines[0]
      if (callColumn < column) line = lines[0]
      line.notes.push(calls[next].id)
      next++
    }
    let breakAt = chooseBreak(lines, following, measurer, notes, carry, height)
    let placed
    for (;;) {
      placed = tryPage(part, lines, following, breakAt, measurer, notes, store, carry, height, origin, width, column)
      if (placed || breakAt <= 1) break
      breakAt = Math.min(breakAt - 1, adjustBreak(lines, following, breakAt - 1))
    }
    if (!placed) {
      // Not even the page's first line with a start of its notes fits: keep what fits, and say so.
      placed = tryPage(part, lines, following, 1, measurer, notes, store, carry, height, origin, width, column, true)
      report.problems.push(`the notes called on page ${column + 1} of #${part.id} do not fit under its first line`)
    }
    // Calls on lines after the break are the next page's.
    const firstLater = lines.slice(breakAt).flatMap((line) => line.notes)[0]
    if (firstLater !== undefined) next = calls.findIndex((call) => call.id === firstLater)
    report.notes += placed.count
    if (placed.split) report.split++
    if (placed.block) report.pages++
    carry = placed.carry
    start = placed.resume
  }
  measurer.element.remove()
  for (const note of store.children) report.problems.push(`note #${note.id} was never placed: its call was not found on a page`)
}

/** The column a client rect lies in. */
function columnOf(rect, origin, width) {
  return Math.floor((rect.left - origin.left + 0.5) / width)
}

/** The node after `node` in document order, its descendants skipped when `skip`. */
function nextNode(node, root, skip) {
  if (!skip && node.firstChild) return node.firstChild
  while (node && node !== root) {
    if (node.nextSibling) return node.nextSibling
    node = node.parentNode
  }
  return null
}

const blockCache = new WeakMap()
/** The nearest ancestor (or itself) laid out as a block: a paragraph, a list item, a heading, a cell. */
function blockOf(node) {
  let element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement
  const first = element
  if (blockCache.has(first)) return blockCache.get(first)
  while (element && getComputedStyle(element).display.startsWith('inline')) element = element.parentElement
  blockCache.set(first, element)
  return element
}

/**
 * The lines of column `column`, from node `start` on: each with its top and
 * bottom (relative to the part's top), where it begins, its block, and the
 * notes called on it; and the first line of the next column, if any.
 */
function readLines(part, start, column, origin, width) {
  const lines = []
  let following = null
  const range = document.createRange()
  let node = start
  const add = (rect, begin, block, atomic) => {
    if (rect.width === 0 && rect.height === 0) return true
    const at = columnOf(rect, origin, width)
    if (at < column) return true
    const top = rect.top - origin.top
    const bottom = rect.bottom - origin.top
    if (at > column) {
      following = { top, bottom, begin, block, atomic, notes: [] }
      return false
    }
    const last = lines[lines.length - 1]
    if (last && !atomic && !last.atomic && sameLine(last, top, bottom)) {
      last.top = Math.min(last.top, top)
      last.bottom = Math.max(last.bottom, bottom)
    } else lines.push({ top, bottom, begin, block, atomic, notes: [], first: [top, bottom] })
    return true
  }
  while (node) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.matches(SKIPPED)) {
        node = nextNode(node, part, true)
        continue
      }
      if (ATOMIC.has(node.tagName) && getComputedStyle(node).display !== 'inline') {
        const rect = [...node.getClientRects()].find((box) => box.height > 0)
        if (rect && !add(rect, { before: node }, node, true)) break
        node = nextNode(node, part, true)
        continue
      }
    } else if (node.nodeType === Node.TEXT_NODE && node.data.trim() !== '') {
      range.selectNodeContents(node)
      let going = true
      for (const rect of range.getClientRects()) {
        if (!add(rect, { text: node, top: rect.top, column: columnOf(rect, origin, width), origin, width }, blockOf(node), false)) {
          going = false
          break
        }
      }
      if (!going) break
    }
    node = nextNode(node, part, false)
  }
  return { lines, following }
}

/**
 * Whether a box from `top` to `bottom` is on `line`: its middle is within
 * the line's first box. (Boxes of consecutive lines overlap when the
 * leading is tighter than the face's height; a raised note call is on its
 * line.)
 */
function sameLine(line, top, bottom) {
  const middle = (top + bottom) / 2
  return middle >= line.first[0] && middle <= line.first[1]
}

/** The notes of a page: an ordered list in a block the height of the rest of the page. */
function notesBlock(alone) {
  const block = document.createElement('div')
  block.className = alone ? 'page-notes page-notes-alone' : 'page-notes'
  return block
}

/**
 * A hidden copy of the notes block where a page's notes are measured: in the
 * part (so its type is the part's), out of the flow.
 */
function makeMeasurer(part, store, width) {
  const element = notesBlock(false)
  element.classList.add('quire-measurer')
  element.style.cssText = `position: absolute; left: 0; top: 0; width: ${width}px; height: auto; visibility: hidden; break-after: auto;`
  const list = document.createElement('ol')
  list.className = 'page-notes-list'
  element.append(list)
  part.append(element)
  let carried = new Set()
  return {
    element,
    list,
    /** Put these notes in (the carried ones first), the others back in the store. */
    set(items, carry) {
      const keep = new Set([...carried, ...carry])
      for (const item of [...list.children]) if (!keep.has(item)) store.append(item)
      list.replaceChildren(...items)
      carried = new Set(carry)
    },
    add(item) {
      list.append(item)
    },
    height() {
      return element.getBoundingClientRect().height
    },
    /** The height with the last note cut to its first `keep` lines (or as it is, if shorter). */
    minHeight(keep = NOTE_LINES) {
      const last = list.lastElementChild
      const full = this.height()
      if (!last) return 0
      const noteLines = linesOf(last)
      if (noteLines.length <= keep) return full
      return full - (last.getBoundingClientRect().bottom - noteLines[keep].top)
    },
  }
}

/** The text lines of an element, as [top, bottom] in client coordinates, each with where it begins. */
function linesOf(element) {
  const lines = []
  const origin = { left: element.getBoundingClientRect().left }
  const width = 1e6
  const range = document.createRange()
  for (let node = element.firstChild; node; node = nextNode(node, element, false)) {
    if (node.nodeType !== Node.TEXT_NODE || node.data.trim() === '') continue
    range.selectNodeContents(node)
    for (const rect of range.getClientRects()) {
      if (rect.width === 0 && rect.height === 0) continue
      const last = lines[lines.length - 1]
      if (last && sameLine(last, rect.top, rect.bottom)) {
        last.top = Math.min(last.top, rect.top)
        last.bottom = Math.max(last.bottom, rect.bottom)
      } else lines.push({ top: rect.top, bottom: rect.bottom, begin: { text: node, top: rect.top, column: 0, origin, width }, block: blockOf(node), first: [rect.top, rect.bottom] })
    }
  }
  return lines
}

/** How many of `lines` go on the page: as many as fit above their notes, then moved up as `adjustBreak` says. */
function chooseBreak(lines, following, measurer, notes, carry, height) {
  // The notes carried from the page before take their room first, as TeX gives a split insertion; then each line's own.
  measurer.set([...carry], carry)
  let fresh = 0
  let fit = lines.length
  for (let index = 0; index < lines.length; index++) {
    for (const id of lines[index].notes) {
      measurer.add(notes.get(id))
      fresh++
    }
    const notesHeight = measurer.list.children.length === 0 ? 0 : fresh > 0 ? measurer.minHeight() : measurer.height()
    if (index > 0 && lines[index].bottom + notesHeight > height - SLACK) {
      fit = index
      break
    }
  }
  return fit === lines.length ? fit : adjustBreak(lines, following, fit)
}

/** Whether a block must stay on the page of what follows it (a heading). */
function keptWithNext(block) {
  if (!block || block.nodeType !== Node.ELEMENT_NODE) return false
  if (block.tagName === 'TR' && block.parentElement && block.parentElement.tagName === 'THEAD') return true
  const after = getComputedStyle(block).breakAfter
  return /^H[1-6]$/.test(block.tagName) || after === 'avoid' || after === 'avoid-page' || after === 'avoid-column'
}

/**
 * The break moved up, never to the page's first line: above a heading that
 * would end the page, and off an orphan (one line of a block ends the page)
 * or a widow (one line of it begins the next).
 */
function adjustBreak(lines, following, fit) {
  let at = fit
  for (let round = 0; round < 4; round++) {
    const before = at
    while (at > 1 && keptWithNext(lines[at - 1].block)) at = firstOfBlock(lines, at - 1)
    const line = lines[at]
    if (line && at > 0 && !line.atomic && lines[at - 1].block === line.block) {
      const first = firstOfBlock(lines, at)
      let after = 0
      for (let index = at; index < lines.length && lines[index].block === line.block; index++) after++
      const continues = after === lines.length - at && following && following.block === line.block
      if (at - first < 2) at = first
      else if (after < 2 && !continues) at = at - 1 - first >= 2 ? at - 1 : first
    }
    if (at === before) break
  }
  return at < 1 ? fit : at
}

/** The index of the first line on the page of the block `lines[index]` is in. */
function firstOfBlock(lines, index) {
  let first = index
  while (first > 0 && lines[first - 1].block === lines[index].block) first--
  return first
}

/**
 * Lay the page out with its first `count` lines: split the text, put the
 * notes block in, confirm it ends on the page. Returns undefined (and
 * leaves the page as it was) when it does not fit, unless `forced`.
 */
function tryPage(part, lines, following, count, measurer, notes, store, carry, height, origin, width, column, forced) {
  const fresh = []
  for (const line of lines.slice(0, count)) for (const id of line.notes) fresh.push(notes.get(id))
  const boundary = count < lines.length ? lines[count] : following
  if (fresh.length === 0 && carry.length === 0 && count === lines.length) {
    // No notes: the page breaks where Chromium breaks it.
    return { count: 0, carry: [], resume: boundary ? beginNode(boundary) : null }
  }
  const block = notesBlock(false)
  const split = boundary ? splitBefore(part, boundary, block) : appendAtEnd(part, block)
  const top = block.getBoundingClientRect().top - origin.top
  const room = height - SLACK - top
  const onPage = columnOf(block.getBoundingClientRect(), origin, width) === column
  let fitted = onPage ? fitNotes(measurer, carry, fresh, room, forced ? 1 : NOTE_LINES) : undefined
  if (!fitted) {
    if (!forced) {
      measurer.set([], carry)
      split.undo()
      return undefined
    }
    // Forced, and the notes called under the page's first line do not fit even so: they wait for the next page (the plan check reports it).
    measurer.set([], carry)
    fitted = { deferred: [...carry, ...fresh], undo() {}, split: false }
  }
  settle(block, measurer, room)
  if (!forced && columnOf(block.getClientRects()[block.getClientRects().length - 1], origin, width) !== column) {
    // Laid out, the block does not end on the page after all.
    for (const item of [...block.querySelectorAll(':scope > ol > li')]) measurer.list.append(item)
    fitted.undo()
    measurer.set([], carry)
    block.replaceChildren()
    split.undo()
    return undefined
  }
  if (!boundary) block.classList.add('page-notes-last')
  return { count: fresh.length, carry: fitted.deferred, split: fitted.split, block, resume: block.nextSibling ? block.nextSibling : nextNode(block, part, true) }
}

/**
 * Fit a page's notes in `room`: the notes called on the page (`fresh`) all
 * begin here, the last with at least `minimum` lines; the notes carried
 * from the page before fill what they leave, cut at a line or waiting whole
 * for the next page. Returns what goes on to the next page, in order, and
 * how to undo the cuts; undefined when the fresh notes do not fit.
 */
function fitNotes(measurer, carried, fresh, room, minimum) {
  const undos = []
  const undo = () => {
    while (undos.length > 0) undos.pop()()
  }
  // The fresh notes at their least must fit behind whatever is kept of the carried ones.
  const fitsWith = (items) => {
    measurer.set(items, carried)
    return (fresh.length > 0 ? measurer.minHeight(minimum) : measurer.height()) <= room
  }
  if (!fitsWith(fresh)) {
    measurer.set([], carried)
    return undefined
  }
  measurer.set([...carried, ...fresh], carried)
  if (measurer.height() <= room) return { deferred: [], undo, split: false }
  const kept = []
  const deferred = []
  let index = 0
  for (; index < carried.length; index++) {
    const item = carried[index]
    if (fitsWith([...kept, item, ...fresh])) {
      kept.push(item)
      continue
    }
    // As much of it as fits, cut at a line; or all of it waits.
    measurer.set([...kept, item, ...fresh], carried)
    const cut = splitNote(measurer, item, () => (fresh.length > 0 ? measurer.minHeight(minimum) : measurer.height()) <= room, 1)
    if (cut) {
      kept.push(item)
      deferred.push(cut.remainder)
      undos.push(cut.undo)
    } else deferred.push(item)
    index++
    break
  }
  deferred.push(...carried.slice(index))
  // The fresh notes after what was kept, the last cut where the room ends.
  measurer.set([...kept, ...fresh], carried)
  if (measurer.height() > room) {
    const cut = fresh.length > 0 ? splitNote(measurer, fresh[fresh.length - 1], () => measurer.height() <= room, minimum) : undefined
    if (!cut) {
      undo()
      measurer.set([], carried)
      return undefined
    }
    deferred.push(cut.remainder)
    undos.push(cut.undo)
  }
  // The measurer holds what goes on this page; what waits is out of it.
  for (const item of deferred) item.remove()
  return { deferred, undo, split: deferred.length > 0 }
}

/** Where a line begins, as a node to resume reading from. */
function beginNode(line) {
  return line.begin.before || line.begin.text
}

/** Move the measured notes into the page's block, and make the block fill the rest of the page. */
function settle(block, measurer, room) {
  // No notes when a call's line was moved on to the next page with its note and nothing else was called here.
  if (measurer.list.children.length > 0) {
    const list = document.createElement('ol')
    list.className = 'page-notes-list'
    list.append(...measurer.list.children)
    block.append(list)
  }
  block.style.height = `${Math.max(0, Math.floor(room * 100) / 100)}px`
  measurer.set([], [])
}

/**
 * Cut the measurer's last note after as many lines as fit in `room`, at least
 * `minimum`. Returns the remainder (to open the next page's notes) and how
 * to undo the cut, or undefined when not even `minimum` lines fit.
 */
function splitNote(measurer, note, fits, minimum) {
  const lines = linesOf(note)
  const list = note.parentElement
  // Its remainder is taken out while the cut is measured, and put back after it to undo the cut.
  for (let keep = lines.length - 1; keep >= minimum; keep--) {
    const cut = splitBefore(list, lines[keep], null, note)
    const remainder = cut.clones[0]
    remainder.remove()
    if (fits()) {
      return {
        remainder,
        undo() {
          note.after(remainder)
          cut.undo()
        },
      }
    }
    note.after(remainder)
    cut.undo()
  }
  return undefined
}

/** The boundary point where a line begins: before its element, or at the first character of its text on that line. */
function lineStart(line) {
  if (line.begin.before) return pointBefore(line.begin.before)
  const { text, top, column, origin, width } = line.begin
  const range = document.createRange()
  // Whether the character at `offset` (or the next one drawn) is on the line or after it: columns in order, then lines down.
  const onOrAfter = (offset) => {
    for (let at = offset; at < text.length; at++) {
      range.setStart(text, at)
      range.setEnd(text, at + 1)
      const rects = range.getClientRects()
      if (rects.length === 0) continue
      const rect = rects[rects.length - 1]
      const found = columnOf(rect, origin, width)
      return found > column || (found === column && rect.top >= top - 0.5)
    }
    return true
  }
  let low = 0
  let high = text.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (onOrAfter(middle)) high = middle
    else low = middle + 1
  }
  // Nothing of the text before the line: the break is before the text, or before the block it begins.
  if (low === 0) return pointBefore(text)
  return { node: text, offset: low }
}

/** The point before `node`, climbing while it is the first content of its parent block. */
function pointBefore(node) {
  let current = node
  while (current.parentNode && !current.parentNode.classList?.contains('part')) {
    let sibling = current.previousSibling
    while (sibling && sibling.nodeType === Node.TEXT_NODE && sibling.data.trim() === '') sibling = sibling.previousSibling
    if (sibling) break
    current = current.parentNode
  }
  return { node: current.parentNode, offset: [...current.parentNode.childNodes].indexOf(current) }
}

/** Whether an element is a plain full-width box the notes block may sit in (no indent, border or padding at the sides). */
function plainBox(element, part) {
  if (element === part) return true
  if (!['DIV', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'FOOTER'].includes(element.tagName)) return false
  const style = getComputedStyle(element)
  return ['marginLeft', 'marginRight', 'paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth'].every((side) => parseFloat(style[side]) === 0)
}

/**
 * Split the flow at where `line` begins: every element around that point up
 * to a plain box (`within`, or the nearest plain one) is cut in two, its
 * second half a clone without ids, and `block` (when given) goes in between.
 * Returns the clones (outermost first) and an undo.
 */
function splitBefore(part, line, block, within) {
  const point = lineStart(line)
  let container = point.node.nodeType === Node.ELEMENT_NODE ? point.node : point.node.parentElement
  const chain = []
  if (within) {
    for (let element = container; element !== within.parentElement; element = element.parentElement) chain.unshift(element)
    container = within.parentElement
  } else {
    while (!plainBox(container, part)) {
      chain.unshift(container)
      container = container.parentElement
    }
  }
  // Keep what follows the break looking as it did: its indent (selectors such as `table + p` stop matching) and no top margin.
  const frozen = []
  const freeze = (element, property, value) => {
    frozen.push([element, element.getAttribute('style')])
    element.style.setProperty(property, value)
  }
  let nextElement = point.node.nodeType === Node.ELEMENT_NODE ? point.node.childNodes[point.offset] : null
  while (nextElement && nextElement.nodeType === Node.TEXT_NODE && nextElement.data.trim() === '') nextElement = nextElement.nextSibling
  if (nextElement && nextElement.nodeType === Node.ELEMENT_NODE) freeze(nextElement, 'text-indent', getComputedStyle(nextElement).textIndent)
  const splitText = point.node.nodeType === Node.TEXT_NODE && point.offset > 0
  // What ends the first half: text (a line cut in a paragraph), or a block (a cut between blocks in a quotation or a list).
  const before = point.node.nodeType === Node.TEXT_NODE ? point.node : point.node.childNodes[point.offset - 1]
  const innermost = chain[chain.length - 1]
  const inLine = Boolean(innermost && before && blockOf(before) === innermost)
  let hyphen = null
  if (splitText && point.node.data[point.offset - 1] === '\u00AD') hyphen = point.node
  const range = document.createRange()
  range.setStart(point.node, point.offset)
  range.setEnd(container, container.childNodes.length)
  const marks = []
  for (const element of chain) {
    element.classList.add('quire-split')
    marks.push(element)
  }
  const justified = inLine && getComputedStyle(innermost).textAlign === 'justify'
  const fragment = range.extractContents()
  const clones = []
  let clone = chain.length > 0 ? fragment.firstChild : null
  for (const original of chain) {
    clones.push(clone)
    clone.removeAttribute('id')
    clone.classList.remove('quire-split')
    clone.classList.add('quire-cont')
    if (original.tagName === 'TABLE' && original.tHead && !clone.tHead) clone.prepend(stripIds(original.tHead.cloneNode(true)))
    clone = clone.firstChild
  }
  // Clones are made outermost first, but an ordered list's continued item is only known once its own clone is marked.
  for (const [index, original] of chain.entries()) {
    if (original.tagName !== 'OL') continue
    const items = [...original.children].filter((child) => child.tagName === 'LI').length
    const first = clones[index].firstElementChild
    const continued = first && first.tagName === 'LI' && first.classList.contains('quire-cont')
    clones[index].setAttribute('start', String((original.start || 1) + items - (continued ? 1 : 0)))
  }
  // The second half of a paragraph has no indent of its own.
  if (inLine) clones[clones.length - 1].classList.add('quire-cont-text')
  // The soft hyphen the line broke at becomes a visible one, in a span of its own: the EPUB's page markers count the text without it (page-starts.ts).
  let shown = null
  if (hyphen) {
    hyphen.data = hyphen.data.slice(0, -1)
    shown = document.createElement('span')
    shown.className = 'quire-hyphen'
    shown.textContent = '-'
    hyphen.after(shown)
  }
  // A paragraph's first half keeps its last line justified, as it was inside the paragraph (after the cut: clones copy styles).
  if (justified) freeze(innermost, 'text-align-last', 'justify')
  if (block) container.append(block)
  container.append(fragment)
  // The first element after the break starts its page with no top margin, as after a break Chromium makes itself.
  for (let element = block ? block.nextElementSibling : null; element; element = element.firstElementChild) {
    freeze(element, 'margin-top', '0')
    if (element.tagName === 'TABLE' || element.tagName === 'TR') break
  }
  return {
    clones,
    undo() {
      if (block) block.remove()
      for (let index = chain.length - 1; index >= 0; index--) {
        const original = chain[index]
        const copy = clones[index]
        if (index + 1 < chain.length) clones[index + 1].remove()
        if (original.tagName === 'TABLE' && copy.tHead) copy.tHead.remove()
        while (copy.firstChild) original.append(copy.firstChild)
      }
      if (clones.length > 0) clones[0].remove()
      for (const element of marks) element.classList.remove('quire-split')
      for (const [element, style] of frozen.reverse()) {
        if (style === null) element.removeAttribute('style')
        else element.setAttribute('style', style)
      }
      if (hyphen) {
        shown.remove()
        hyphen.data = hyphen.data + '\u00AD'
      }
      if (splitText) {
        const rest = point.node.nextSibling
        if (rest && rest.nodeType === Node.TEXT_NODE) {
          point.node.appendData(rest.data)
          rest.remove()
        }
      }
    },
  }
}

/** A notes block after the part's last line. */
function appendAtEnd(part, block) {
  part.append(block)
  return { clones: [], undo: () => block.remove() }
}

function stripIds(element) {
  element.removeAttribute('id')
  for (const inner of element.querySelectorAll('[id]')) inner.removeAttribute('id')
  return element
}
