/** Content types of what the preview serves, by extension. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.epub': 'application/epub+zip',
  '.pdf': 'application/pdf',
}

export function contentType(name: string): string {
  const dot = name.lastIndexOf('.')
  return (dot >= 0 && TYPES[name.slice(dot).toLowerCase()]) || 'application/octet-stream'
}
