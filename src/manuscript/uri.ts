/** Links and image sources as written in a manuscript. */

/** `text` with its %-escapes decoded, or as it is when they are malformed (`100%` in a file name). */
export function decodeUri(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
