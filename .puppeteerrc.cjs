// Quire never downloads a browser: it finds one (see src/browser/find.ts).
module.exports = { skipDownload: true }
