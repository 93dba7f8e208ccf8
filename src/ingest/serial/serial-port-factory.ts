import { SerialPort } from 'serialport'

/** The settings of a serial line. */
export interface SerialSettings {
  path: string
  baudRate: number
  dataBits: 5 | 6 | 7 | 8
  parity: 'none' | 'even' | 'odd' | 'mark' | 'space'
  stopBits: 1 | 1.5 | 2
}

/** The slice of a serial port a source uses, so tests can pass a fake and the app the real one. */
export interface SerialPortLike {
  open(cb: (err: Error | null) => void): void
  close(cb?: (err: Error | null) => void): void
  on(event: 'data', listener: (chunk: Buffer) => void): this
  on(event: 'error', listener: (err: Error) => void): this
  on(event: 'close', listener: (err?: Error | null) => void): this
  /** Sends bytes (Modbus requests); line sources only listen. */
  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean
  removeAllListeners(): this
  readonly isOpen: boolean
}

export type SerialPortFactory = (settings: SerialSettings) => SerialPortLike

/** The real port, through the serialport library's native binding. */
export const openRealPort: SerialPortFactory = (s) =>
  new SerialPort({
    path: s.path,
    baudRate: s.baudRate,
    dataBits: s.dataBits,
    parity: s.parity,
    stopBits: s.stopBits,
    autoOpen: false,
  })
