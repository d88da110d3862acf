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
  notes: string
  bibliography: string
  references: string
  /** The link from a note back to its place in the text. */
  backToText: string
  /** EPUB landmarks and front matter. */
  cover: string
  titlePage: string
  copyright: string
  landmarks: string
  /** The landmark pointing at the first chapter. */
  startOfText: string
  /** The web edition's links to the EPUB and the PDF ("Download EPUB"). */
  download: string
  /** A figure's caption label ("Figure 3.2.") and the list of figures' title. */
  figure: string
  figures: string
  /** After a contributor's name on the copyright page ("Ana Ruiz (translator)"); the author's is not named. */
  roles: Record<'editor' | 'translator' | 'illustrator' | 'contributor', string>
  /** An appendix's label ("Appendix A"). */
  appendix: string
  /** A part's label ("Part One"), and the words for its number where the language has them here (else roman numerals). */
  part: string
  numberWords?: string[]
  /** The index: its title, and its cross-references ("See", "See also"). */
  index: string
  see: string
  seeAlso: string
  /** Before a page number in print ("see § 4.2, p. 312"). */
  page: string
  /** The EPUB's list of the printed edition's pages. */
  pages: string
}

const labels: Record<string, Labels> = {
  en: { chapter: 'Chapter', contents: 'Contents', previous: 'Previous', next: 'Next', by: 'by', notes: 'Notes', bibliography: 'Bibliography', references: 'References', backToText: 'Back to text', cover: 'Cover', titlePage: 'Title Page', copyright: 'Copyright', landmarks: 'Guide', startOfText: 'Start of Text', download: 'Download', figure: 'Figure', figures: 'Figures', roles: { editor: 'editor', translator: 'translator', illustrator: 'illustrator', contributor: 'contributor' }, appendix: 'Appendix', part: 'Part', numberWords: ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen', 'Twenty'], index: 'Index', see: 'See', seeAlso: 'See also', page: 'p.', pages: 'Pages' },
  fr: { chapter: 'Chapitre', contents: 'Table des matières', previous: 'Précédent', next: 'Suivant', by: 'par', notes: 'Notes', bibliography: 'Bibliographie', references: 'Références', backToText: 'Retour au texte', cover: 'Couverture', titlePage: 'Page de titre', copyright: 'Droits', landmarks: 'Repères', startOfText: 'Début du texte', download: 'Télécharger', figure: 'Figure', figures: 'Table des figures', roles: { editor: 'éd.', translator: 'trad.', illustrator: 'ill.', contributor: 'contrib.' }, appendix: 'Annexe', part: 'Partie', index: 'Index', see: 'Voir', seeAlso: 'Voir aussi', page: 'p.', pages: 'Pages' },
  de: { chapter: 'Kapitel', contents: 'Inhalt', previous: 'Zurück', next: 'Weiter', by: 'von', notes: 'Anmerkungen', bibliography: 'Literaturverzeichnis', references: 'Literatur', backToText: 'Zurück zum Text', cover: 'Umschlag', titlePage: 'Titelseite', copyright: 'Impressum', landmarks: 'Orientierungspunkte', startOfText: 'Textbeginn', download: 'Herunterladen', figure: 'Abbildung', figures: 'Abbildungsverzeichnis', roles: { editor: 'Hrsg.', translator: 'Übers.', illustrator: 'Ill.', contributor: 'Mitarb.' }, appendix: 'Anhang', part: 'Teil', index: 'Register', see: 'Siehe', seeAlso: 'Siehe auch', page: 'S.', pages: 'Seiten' },
  es: { chapter: 'Capítulo', contents: 'Índice', previous: 'Anterior', next: 'Siguiente', by: 'por', notes: 'Notas', bibliography: 'Bibliografía', references: 'Referencias', backToText: 'Volver al texto', cover: 'Cubierta', titlePage: 'Portada', copyright: 'Créditos', landmarks: 'Guía', startOfText: 'Comienzo del texto', download: 'Descargar', figure: 'Figura', figures: 'Índice de figuras', roles: { editor: 'ed.', translator: 'trad.', illustrator: 'il.', contributor: 'colab.' }, appendix: 'Apéndice', part: 'Parte', index: 'Índice analítico', see: 'Véase', seeAlso: 'Véase también', page: 'p.', pages: 'Páginas' },
  it: { chapter: 'Capitolo', contents: 'Indice', previous: 'Precedente', next: 'Successivo', by: 'di', notes: 'Note', bibliography: 'Bibliografia', references: 'Riferimenti bibliografici', backToText: 'Torna al testo', cover: 'Copertina', titlePage: 'Frontespizio', copyright: 'Colophon', landmarks: 'Punti di riferimento', startOfText: 'Inizio del testo', download: 'Scarica', figure: 'Figura', figures: 'Indice delle figure', roles: { editor: 'a cura di', translator: 'trad.', illustrator: 'ill.', contributor: 'collab.' }, appendix: 'Appendice', part: 'Parte', index: 'Indice analitico', see: 'Vedi', seeAlso: 'Vedi anche', page: 'p.', pages: 'Pagine' },
  pt: { chapter: 'Capítulo', contents: 'Sumário', previous: 'Anterior', next: 'Próximo', by: 'por', notes: 'Notas', bibliography: 'Bibliografia', references: 'Referências', backToText: 'Voltar ao texto', cover: 'Capa', titlePage: 'Folha de rosto', copyright: 'Direitos', landmarks: 'Guia', startOfText: 'Início do texto', download: 'Baixar', figure: 'Figura', figures: 'Lista de figuras', roles: { editor: 'org.', translator: 'trad.', illustrator: 'il.', contributor: 'colab.' }, appendix: 'Apêndice', part: 'Parte', index: 'Índice remissivo', see: 'Ver', seeAlso: 'Ver também', page: 'p.', pages: 'Páginas' },
  ru: { chapter: 'Глава', contents: 'Содержание', previous: 'Назад', next: 'Далее', by: '', notes: 'Примечания', bibliography: 'Библиография', references: 'Список литературы', backToText: 'Назад к тексту', cover: 'Обложка', titlePage: 'Титульный лист', copyright: 'Выходные данные', landmarks: 'Ориентиры', startOfText: 'Начало текста', download: 'Скачать', figure: 'Рисунок', figures: 'Список иллюстраций', roles: { editor: 'ред.', translator: 'пер.', illustrator: 'ил.', contributor: 'соавт.' }, appendix: 'Приложение', part: 'Часть', index: 'Указатель', see: 'См.', seeAlso: 'См. также', page: 'с.', pages: 'Страницы' },
}

/** Labels for a BCP 47 language tag. */
export function labelsFor(language: string): Labels {
  return labels[language.toLowerCase().split('-')[0]!] ?? labels.en!
}
