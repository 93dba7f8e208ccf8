/** CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF), table-driven: it runs on every byte. */
const TABLE = (() => {
  const t = new Uint16Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1
    t[i] = c
  }
  return t
})()

/** The CRC-16/MODBUS of `bytes[start..end)`. */
export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0)
  return crc
}

/** `body` followed by its CRC, low byte first as RTU sends it. */
export function withCrc(body: Uint8Array): Buffer {
  const out = Buffer.alloc(body.length + 2)
  out.set(body)
  const crc = crc16Modbus(body)
  out[body.length] = crc & 0xff
  out[body.length + 1] = crc >>> 8
  return out
}

/** True when the last two bytes of `frame` are the CRC of the rest. */
export function crcOk(frame: Uint8Array): boolean {
  if (frame.length < 3) return false
  const n = frame.length - 2
  const crc = crc16Modbus(frame, 0, n)
  return frame[n] === (crc & 0xff) && frame[n + 1] === crc >>> 8
}
