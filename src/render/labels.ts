/**
 * The few words Quire itself prints in a book, per language. Books in a
 * language not listed get English labels.
 */
export interface Labels {
  chapter: string
  contents: string
  previous: string
  next: string
  by: string
}

const labels: Record<string, Labels> = {
  en: { chapter: 'Chapter', contents: 'Contents', previous: 'Previous', next: 'Next', by: 'by' },
  fr: { chapter: 'Chapitre', contents: 'Table des matières', previous: 'Précédent', next: 'Suivant', by: 'par' },
  de: { chapter: 'Kapitel', contents: 'Inhalt', previous: 'Zurück', next: 'Weiter', by: 'von' },
  es: { chapter: 'Capítulo', contents: 'Índice', previous: 'Anterior', next: 'Siguiente', by: 'por' },
  it: { chapter: 'Capitolo', contents: 'Indice', previous: 'Precedente', next: 'Successivo', by: 'di' },
  pt: { chapter: 'Capítulo', contents: 'Sumário', previous: 'Anterior', next: 'Próximo', by: 'por' },
  ru: { chapter: 'Глава', contents: 'Содержание', previous: 'Назад', next: 'Далее', by: '' },
}

/** Labels for a BCP 47 language tag. */
export function labelsFor(language: string): Labels {
  return labels[language.toLowerCase().split('-')[0]!] ?? labels.en!
}
