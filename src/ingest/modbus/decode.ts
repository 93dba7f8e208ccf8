import type { ModbusRegister } from '../../contract'

export type RegisterType = ModbusRegister['type']
export type Order = ModbusRegister['wordOrder']

/** A register map that cannot be polled as written; the message says what to change. */
export class ModbusConfigError extends Error {
  override readonly name = 'ModbusConfigError'
}

/** How many 16-bit registers a value of `type` spans (coils and discrete inputs: one bit). */
export function registerSpan(type: RegisterType): 1 | 2 {
  return type === 'int16' || type === 'uint16' ? 1 : 2
}

/**
 * The address sent on the wire. Manuals number registers from 0 or from 1 ("register 1" is
 * wire address 0); getting this wrong shifts every value by one register, so an impossible
 * result is refused here instead of reading the wrong register.
 */
export function wireAddress(reg: ModbusRegister): number {
  const wire = reg.address - reg.addressBase
  const span = reg.function === 'coil' || reg.function === 'discrete' ? 1 : registerSpan(reg.type)
  const label = `Register "${reg.id}" (slave ${reg.slaveId}, ${reg.function} ${reg.address})`
  if (wire < 0) {
    throw new ModbusConfigError(
      `${label}: address ${reg.address} with 1-based numbering is wire address -1. ` +
        'Use 0-based numbering, or the address as the manual writes it (1 or more).',
    )
  }
  if (wire + span - 1 > 0xffff) {
    throw new ModbusConfigError(`${label}: reaches past the last wire address 65535.`)
  }
  return wire
}

/**
 * The raw value of `type` from the register bytes `data` (as received: two bytes per register)
 * starting at register `index`. `wordOrder: little` means the low word comes first;
 * `byteOrder: little` means each register's two bytes are swapped.
 */
export function decodeRegisters(
  data: Uint8Array,
  index: number,
  type: RegisterType,
  wordOrder: Order,
  byteOrder: Order,
): number {
  const words = registerSpan(type)
  const bytes = new Uint8Array(4)
  for (let w = 0; w < words; w++) {
    // Position of this register within the big-endian value.
    const slot = words === 2 && wordOrder === 'little' ? 1 - w : w
    const at = (index + w) * 2
    const hi = data[at] ?? 0
    const lo = data[at + 1] ?? 0
    bytes[slot * 2] = byteOrder === 'little' ? lo : hi
    bytes[slot * 2 + 1] = byteOrder === 'little' ? hi : lo
  }
  const view = new DataView(bytes.buffer)
  switch (type) {
    case 'int16':
      return view.getInt16(0)
    case 'uint16':
      return view.getUint16(0)
    case 'int32':
      return view.getInt32(0)
    case 'uint32':
      return view.getUint32(0)
    case 'float32':
      return view.getFloat32(0)
  }
}

/** Bit `index` of a coil or discrete-input answer, LSB of the first byte first: 0 or 1. */
export function decodeBit(data: Uint8Array, index: number): 0 | 1 {
  return ((data[index >> 3] ?? 0) >> (index & 7)) & 1 ? 1 : 0
}

/** The engineering value: `raw * scale + offset`. */
export function scaleValue(raw: number, reg: Pick<ModbusRegister, 'scale' | 'offset'>): number {
  return raw * reg.scale + reg.offset
}
