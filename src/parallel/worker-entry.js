// A worker thread's first module: workers start without the parent's
// loaders, so this registers tsx before loading the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./worker.ts')
