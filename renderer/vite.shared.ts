import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import type { UserConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

/** The renderer's build settings, shared by the Electron build and the web-only build. */
export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [vue()],
  resolve: {
    alias: {
      '@vigil/contract': fileURLToPath(new URL('../src/contract/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
}
