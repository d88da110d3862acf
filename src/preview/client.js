// Quire preview's script, added to each page it serves (never to a built edition):
// reload when the book is rebuilt, at the same scroll position; show the
// manuscript's errors over the page while it is broken; show progress while
// the EPUB or the PDF is being built for download.
(() => {
  const key = `quire-scroll:${location.pathname}`
  const saved = sessionStorage.getItem(key)
  if (saved !== null) {
    sessionStorage.removeItem(key)
    window.scrollTo(0, Number(saved))
    // The book's faces load after this runs and reflow the page above, and Chromium's scroll anchoring then moves
    // the position (a reload kept 569 of 600 px once): once they are in, the saved position shows the same text again.
    document.fonts.ready.then(() => window.scrollTo(0, Number(saved)))
  }
  const served = Number(new URL(document.currentScript.src).searchParams.get('g'))

  const overlay = (diagnostics) => {
    document.getElementById('quire-overlay')?.remove()
    if (diagnostics.length === 0) return
    const box = document.createElement('div')
    box.id = 'quire-overlay'
    box.setAttribute('role', 'alert')
    box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.5rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.4)'
    const title = document.createElement('strong')
    title.textContent = `The manuscript has ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}; this is the last good build.`
    box.append(title)
    for (const d of diagnostics) {
      const line = document.createElement('div')
      line.className = 'quire-diagnostic'
      line.textContent = `${d.file}:${d.line}:${d.column}: ${d.message} [${d.ruleId}]`
      box.append(line)
    }
    document.body.append(box)
  }

  const events = new EventSource('/__quire/events')
  const reload = () => {
    sessionStorage.setItem(key, String(window.scrollY))
    location.reload()
  }
  events.addEventListener('hello', (event) => {
    const state = JSON.parse(event.data)
    if (state.generation !== served) return reload()
    overlay(state.diagnostics)
  })
  events.addEventListener('reload', reload)
  events.addEventListener('diagnostics', (event) => overlay(JSON.parse(event.data)))

  // Downloads: the EPUB or PDF is built when asked for, which takes a while for the PDF.
  for (const link of document.querySelectorAll('.downloads a')) {
    link.addEventListener('click', async (event) => {
      event.preventDefault()
      if (link.getAttribute('aria-busy') === 'true') return
      const label = link.textContent
      link.setAttribute('aria-busy', 'true')
      link.textContent = `${label} (building…)`
      try {
        const response = await fetch(link.href)
        if (!response.ok) throw new Error(await response.text())
        const url = URL.createObjectURL(await response.blob())
        const save = document.createElement('a')
        save.href = url
        save.download = link.getAttribute('href')
        save.click()
        setTimeout(() => URL.revokeObjectURL(url), 60_000)
        link.textContent = label
      } catch (error) {
        link.textContent = `${label}: ${error.message}`
      } finally {
        link.removeAttribute('aria-busy')
      }
    })
  }
})()
