/** The formats Quire builds, in the order it builds them; apart from the renderers, so `check` need not load them. */
export const formats = ['html', 'epub', 'pdf'] as const

export type Format = (typeof formats)[number]

export function isFormat(format: string): format is Format {
  return (formats as readonly string[]).includes(format)
}
