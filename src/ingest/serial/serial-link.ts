import { existsSync } from 'node:fs'
import type { SourceStatus } from '../../contract'
import type { Logger } from '../../log/logger'
import type { Clock, Timer } from '../../platform/clock'
import { explainPortError } from './port-errors'
import {
  openRealPort,
  type SerialPortFactory,
  type SerialPortLike,
  type SerialSettings,
} from './serial-port-factory'

export interface Outage {
  from: number
  to: number | null
}

export interface SerialLinkOptions {
  id: string
  settings: SerialSettings
  clock: Clock
  log?: Logger
  openPort?: SerialPortFactory
  /** First and longest wait between reconnection attempts. */
  retryMs?: { first: number; max: number }
  /** How often the device node is looked for: an unplugged USB adapter often sends no close. */
  pollMs?: number
  /** Called with each new port before it opens (attach data listeners here). */
  attach?: (port: SerialPortLike) => void
  /** Called once the port is open. */
  opened?: (port: SerialPortLike) => void
  /** Called when the port is given up (lost or stopped), before it is closed. */
  dropped?: (reason: Error) => void
}

/**
 * The connection a serial source lives on, made to survive a plant: a pulled cable or vanished
 * adapter is noticed (error, close, or the device node disappearing), the state becomes
 * `reconnecting`, and the port is reopened with backoff until the device is back. Each outage
 * is recorded; nothing is filled in for it.
 */
export class SerialLink {
  state: SourceStatus['state'] = 'stopped'
  lastError: string | null = null
  readonly outages: Outage[] = []
  private current: SerialPortLike | null = null
  private active = false
  private readonly retry: { first: number; max: number }
  private retryDelay: number
  private retryTimer: Timer | null = null
  private pollTimer: Timer | null = null

  constructor(private readonly opts: SerialLinkOptions) {
    this.retry = opts.retryMs ?? { first: 500, max: 10_000 }
    this.retryDelay = this.retry.first
  }

  get port(): SerialPortLike | null {
    return this.current
  }

  start(): void {
    if (this.active) return
    this.active = true
    this.state = 'starting'
    this.connect()
    this.pollTimer = this.opts.clock.setInterval(() => this.watchNode(), this.opts.pollMs ?? 1000)
  }

  stop(): void {
    this.active = false
    if (this.retryTimer) this.opts.clock.clearTimeout(this.retryTimer)
    if (this.pollTimer) this.opts.clock.clearInterval(this.pollTimer)
    this.retryTimer = this.pollTimer = null
    this.drop(new Error('source stopped'))
    this.state = 'stopped'
  }

  /** Data arrived: an outage in progress has ended. */
  delivered(now: number): void {
    const outage = this.outages[this.outages.length - 1]
    if (outage && outage.to === null) outage.to = now
  }

  /**
   * The port is open but the line is dead (no device on it answers): an outage like a pulled
   * cable, from `from`, ended by the next delivery. The port stays open: reopening it would
   * not wake a device, and the caller keeps asking.
   */
  silent(from: number): void {
    const last = this.outages[this.outages.length - 1]
    if (this.state !== 'running' || (last && last.to === null)) return
    this.outages.push({ from, to: null })
  }

  /** The port went away (or never came): record it once and try again later. */
  lost(port: SerialPortLike, err: Error): void {
    if (this.current !== port || !this.active) return
    this.lastError = explainPortError(err, this.opts.settings.path)
    this.opts.log?.warn(`${this.opts.id}: ${this.lastError}`)
    // A line already silent (no device answering) is one outage with the cable pulled after.
    const open = this.outages[this.outages.length - 1]?.to === null
    if (this.state === 'running' && !open)
      this.outages.push({ from: this.opts.clock.now(), to: null })
    this.state = 'reconnecting'
    this.drop(err)
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, this.retryDelay)
    this.retryDelay = Math.min(this.retry.max, this.retryDelay * 2)
  }

  private connect(): void {
    if (!this.active) return
    const port = (this.opts.openPort ?? openRealPort)(this.opts.settings)
    this.current = port
    port.on('error', (err) => this.lost(port, err))
    port.on('close', (err) => this.lost(port, err ?? new Error('port closed')))
    this.opts.attach?.(port)
    port.open((err) => {
      if (err) return this.lost(port, err)
      if (this.current !== port) return
      this.state = 'running'
      this.retryDelay = this.retry.first
      this.opts.log?.info(`${this.opts.id}: ${this.opts.settings.path} open`)
      this.opts.opened?.(port)
    })
  }

  private watchNode(): void {
    // Device nodes are files on Linux and macOS; COM ports on Windows are not.
    const path = this.opts.settings.path
    if (this.state === 'running' && this.current && path.startsWith('/') && !existsSync(path)) {
      this.lost(this.current, Object.assign(new Error('device node vanished'), { code: 'ENOENT' }))
    }
  }

  private drop(reason: Error): void {
    const port = this.current
    this.current = null
    if (!port) return
    this.opts.dropped?.(reason)
    port.removeAllListeners()
    // Errors from closing a port that is already gone say nothing new.
    port.on('error', () => {})
    if (port.isOpen) port.close(() => {})
  }
}
