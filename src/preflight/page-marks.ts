/** Where text, images and paths land on a page, from pdfjs's text content and operator list. */
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js'
import { round } from './pdf-objects.ts'
import type { Pdfjs } from './pdfjs-loader.ts'
import type { Box, PageMark } from './read-pdf.ts'

type Matrix = [number, number, number, number, number, number]
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]

/** `m` after `n`: a point goes through `n`, then `m` (as `cm` prepends to the current matrix). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]]
}

/** The bounding box of points given as x, y pairs, through a matrix. */
function boundPoints(m: Matrix, coordinates: ArrayLike<number>): Box | undefined {
  if (coordinates.length < 2) return undefined
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity]
  for (let at = 0; at + 1 < coordinates.length; at += 2) {
    const x = coordinates[at]!
    const y = coordinates[at + 1]!
    const px = m[0] * x + m[2] * y + m[4]
    const py = m[1] * x + m[3] * y + m[5]
    box[0] = Math.min(box[0], px), box[1] = Math.min(box[1], py), box[2] = Math.max(box[2], px), box[3] = Math.max(box[3], py)
  }
  return box
}

function intersect(box: Box, clip: Box | undefined): Box {
  return clip ? [Math.max(box[0], clip[0]), Math.max(box[1], clip[1]), Math.min(box[2], clip[2]), Math.min(box[3], clip[3])] : box
}

const UNIT_SQUARE = [0, 0, 1, 0, 0, 1, 1, 1]
const BBOX_CORNERS = (b: number[]) => [b[0]!, b[1]!, b[2]!, b[1]!, b[0]!, b[3]!, b[2]!, b[3]!]
/** The operators the marks are read from, in pdfjs's numbering (known once pdfjs is loaded). */
export function operatorsOf(OPS: Pdfjs['OPS']) {
  return {
    OPS,
    /** How many coordinates each path operator in a constructPath takes. */
    pathArguments: new Map<number, number>([[OPS.moveTo, 2], [OPS.lineTo, 2], [OPS.curveTo, 6], [OPS.curveTo2, 4], [OPS.curveTo3, 4], [OPS.rectangle, 4], [OPS.closePath, 0]]),
    fills: new Set<number>([OPS.fill, OPS.eoFill]),
    strokes: new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]),
    images: new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintSolidColorImageMask]),
  }
}
type Operators = ReturnType<typeof operatorsOf>

export async function readMarks(page: PDFPageProxy, operators: Operators, annotationMode: number): Promise<PageMark[]> {
  const [text, drawn] = await Promise.all([readTextMarks(page), readDrawnMarks(page, operators, annotationMode)])
  const marks = [...text, ...drawn]
  return marks
    .map((mark) => ({ ...mark, box: mark.box.map(round) as Box }))
    .filter((mark) => mark.box[2] > mark.box[0] && mark.box[3] > mark.box[1])
}

/** Each text item's box: along the baseline for its width, across it from the font's descent to its ascent (or the item's height from the baseline when the font does not say). */
async function readTextMarks(page: PDFPageProxy): Promise<PageMark[]> {
  const content = await page.getTextContent({ disableNormalization: true })
  const marks: PageMark[] = []
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue
    const [a, b, c, d, e, f] = item.transform as Matrix
    const style = content.styles[item.fontName]
    if (style?.vertical) {
      // Vertical writing: the glyphs' origins are at their top middle and the item runs down.
      marks.push({ kind: 'text', box: [e - item.width / 2, f - item.height, e + item.width / 2, f], text: item.str })
      continue
    }
    const size = Math.hypot(c, d) || item.height
    const known = style && style.ascent > 0 && style.ascent < 2 && style.descent <= 0
    const [bottom, top] = known ? [style.descent * size, style.ascent * size] : [0, item.height]
    const along = Math.hypot(a, b) || 1
    const up = size || 1
    // Corners in the text's own axes (width along the baseline, bottom and top across it), into user space.
    const axes: Matrix = [a / along, b / along, c / up, d / up, e, f]
    marks.push({ kind: 'text', box: boundPoints(axes, [0, bottom, item.width, bottom, 0, top, item.width, top])!, text: item.str })
  }
  return marks
}

/** Images and painted paths, from the operator list: the current matrix, clip and line width followed through save, restore, `cm` and form XObjects. */
async function readDrawnMarks(page: PDFPageProxy, { OPS, pathArguments, fills, strokes, images }: Operators, annotationMode: number): Promise<PageMark[]> {
  // getOperatorList's list is not regrouped as one for drawing is: no image "repeats" to unpack.
  const list = await page.getOperatorList({ annotationMode })
  interface State { ctm: Matrix; clip: Box | undefined; lineWidth: number }
  let state: State = { ctm: IDENTITY, clip: undefined, lineWidth: 1 }
  const stack: State[] = []
  const marks: PageMark[] = []
  let path: Box | undefined
  let clipping = false
  let groupBox: number[] | null = null
  const add = (kind: PageMark['kind'], box: Box | undefined) => box && marks.push({ kind, box: intersect(box, state.clip) })
  for (let index = 0; index < list.fnArray.length; index++) {
    const op = list.fnArray[index]!
    const args = list.argsArray[index] as unknown[]
    if (op === OPS.save) stack.push(state)
    else if (op === OPS.restore) state = stack.pop() ?? state
    else if (op === OPS.transform) state = { ...state, ctm: multiply(state.ctm, args as Matrix) }
    else if (op === OPS.setLineWidth) state = { ...state, lineWidth: args[0] as number }
    else if (op === OPS.beginGroup) groupBox = (args[0] as { bbox?: number[] }).bbox ?? null
    else if (op === OPS.paintFormXObjectBegin) {
      // A form: its matrix, then its bbox clips (pdfjs gives the bbox to the group instead when the form is one).
      stack.push(state)
      state = { ...state, ctm: multiply(state.ctm, (args[0] as Matrix | null) ?? IDENTITY) }
      const bbox = (args[1] as number[] | null) ?? groupBox
      groupBox = null
      if (bbox) state = { ...state, clip: intersect(boundPoints(state.ctm, BBOX_CORNERS(bbox))!, state.clip) }
    } else if (op === OPS.paintFormXObjectEnd) state = stack.pop() ?? state
    else if (op === OPS.constructPath) path = pathBox(state.ctm, args[0] as number[], args[1] as number[], OPS.rectangle, pathArguments)
    else if (op === OPS.clip || op === OPS.eoClip) clipping = true
    else if (images.has(op)) add('image', boundPoints(state.ctm, UNIT_SQUARE))
    else if (op === OPS.shadingFill && state.clip) add('path', state.clip) // `sh` paints the whole clip
    if (fills.has(op)) add('path', path)
    else if (strokes.has(op) && path) {
      // Half the line on each side of the path, scaled like the path (by the matrix's mean scale).
      const half = (state.lineWidth * Math.sqrt(Math.abs(state.ctm[0] * state.ctm[3] - state.ctm[1] * state.ctm[2]))) / 2
      add('path', [path[0] - half, path[1] - half, path[2] + half, path[3] + half])
    }
    if (fills.has(op) || strokes.has(op) || op === OPS.endPath) {
      // A clip takes effect after the path is painted (`re W n`).
      if (clipping && path) state = { ...state, clip: intersect(path, state.clip) }
      clipping = false
      path = undefined
    }
  }
  return marks
}

/** The bounding box, in user space, of a constructPath's points (curves' control points too: the curve lies within them). */
function pathBox(ctm: Matrix, ops: number[], coordinates: number[], rectangle: number, pathArguments: Map<number, number>): Box | undefined {
  const points: number[] = []
  let at = 0
  for (const op of ops) {
    const count = pathArguments.get(op) ?? 0
    if (op === rectangle) {
      const [x, y, width, height] = coordinates.slice(at, at + 4) as [number, number, number, number]
      points.push(x, y, x + width, y, x, y + height, x + width, y + height)
    } else points.push(...coordinates.slice(at, at + count))
    at += count
  }
  return boundPoints(ctm, points)
}
