import { defineConfig } from 'vite'
import { rendererConfig } from './vite.shared'

/** Web-only build of the renderer, served by `vigil serve`. */
export default defineConfig(rendererConfig)
