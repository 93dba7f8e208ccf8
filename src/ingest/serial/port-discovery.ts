import { constants } from 'node:fs'
import { access, readdir, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { explainPortError } from './port-errors'

export interface DiscoveredPort {
  path: string
  /** What the system says the device is, where it says anything. */
  label: string | null
  /** `udev` from SerialPort.list(); `scan` from looking in /dev where udev is absent. */
  found: 'udev' | 'scan'
  /** Set when this user cannot open the port, in plain words. */
  problem: string | null
}

interface ListedPort {
  path: string
  manufacturer?: string | undefined
  serialNumber?: string | undefined
  pnpId?: string | undefined
}

export interface DiscoveryDeps {
  /** SerialPort.list(); spawns udevadm on Linux, which fails where udev is absent. */
  list: () => Promise<ListedPort[]>
  devDir?: string
  readdir?: (dir: string) => Promise<string[]>
  realpath?: (path: string) => Promise<string>
  access?: (path: string, mode: number) => Promise<void>
}

const DEVICE_PATTERN = /^tty(USB|ACM|S|AMA|XRUSB)\d+$/

async function scanDev(deps: DiscoveryDeps): Promise<DiscoveredPort[]> {
  const dev = deps.devDir ?? '/dev'
  const list = deps.readdir ?? ((d: string) => readdir(d))
  const resolve = deps.realpath ?? ((p: string) => realpath(p))
  const byId = new Map<string, string>()
  try {
    for (const name of await list(join(dev, 'serial', 'by-id'))) {
      byId.set(await resolve(join(dev, 'serial', 'by-id', name)), name)
    }
  } catch {
    // No /dev/serial/by-id: no udev, or no USB adapter plugged in.
  }
  let names: string[]
  try {
    names = (await list(dev)).filter((n) => DEVICE_PATTERN.test(n))
  } catch {
    return []
  }
  return names.sort().map((n) => ({
    path: join(dev, n),
    label: byId.get(join(dev, n)) ?? null,
    found: 'scan',
    problem: null,
  }))
}

/**
 * Lists the serial ports this PC has, never failing: the serialport library's list where it
 * works, else a scan of /dev (by-id names, ttyUSB, ttyACM, ttyS, ttyAMA). Each port says whether
 * this user may open it, and if not, what to do.
 */
export async function discoverPorts(deps: DiscoveryDeps): Promise<DiscoveredPort[]> {
  let ports: DiscoveredPort[]
  try {
    ports = (await deps.list()).map((p) => ({
      path: p.path,
      label: [p.manufacturer, p.serialNumber].filter(Boolean).join(' ') || p.pnpId || null,
      found: 'udev' as const,
      problem: null,
    }))
  } catch {
    ports = await scanDev(deps)
  }
  const check = deps.access ?? ((p: string, m: number) => access(p, m))
  return Promise.all(
    ports.map(async (p) => {
      try {
        await check(p.path, constants.R_OK | constants.W_OK)
        return p
      } catch (err) {
        return { ...p, problem: explainPortError(err, p.path) }
      }
    }),
  )
}
