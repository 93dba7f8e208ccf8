import type { ContractTransport } from '@vigil/contract'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser, where the WebSocket is used. */
    vigil?: ContractTransport
  }
}

export {}
