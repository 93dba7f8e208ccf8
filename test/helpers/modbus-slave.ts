import { SerialPort } from 'serialport'
import { answerFor, takeRequests, type RtuDevices, type SeenRequest } from './rtu-device'

export { place, wordsFor, type SlaveMap } from './rtu-device'

export interface ModbusSlaveOptions extends RtuDevices {
  path: string
  baudRate?: number
}

/** A simulated RTU slave device on a serial port path, answering real frames with CRC. */
export interface ModbusSlave {
  /** Every well-formed request seen, in order (also the ones for ids this device ignores). */
  readonly seen: SeenRequest[]
  close(): Promise<void>
}

/** Opens `path` and serves the given slave ids until closed. */
export async function startModbusSlave(opts: ModbusSlaveOptions): Promise<ModbusSlave> {
  const port = new SerialPort({
    path: opts.path,
    baudRate: opts.baudRate ?? 19_200,
    autoOpen: false,
  })
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
  port.on('error', () => {})
  const seen: SeenRequest[] = []
  let buf: Buffer = Buffer.alloc(0)
  port.on('data', (chunk: Buffer) => {
    const { requests, rest } = takeRequests(Buffer.concat([buf, chunk]))
    buf = rest
    for (const req of requests) {
      seen.push(req)
      const answer = answerFor(opts, req, seen.length - 1)
      if (answer) port.write(answer)
    }
  })
  return {
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve()
        port.close(() => resolve())
      }),
  }
}
