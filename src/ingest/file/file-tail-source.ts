import type { FileHandle } from 'node:fs/promises'
import { VigilError } from '../../contract'
import type { Timer } from '../../platform/clock'
import { HostStamp } from '../host-stamp'
import { LineSplitter } from '../lines/line-splitter'
import type { SampleSink, Source } from '../source'
import { openAllowedFile } from './file-access'
import { explainFileError } from './file-errors'
import { FileSourceBase, type FileSourceOptions } from './file-source-base'

export interface FileTailSourceOptions extends FileSourceOptions {
  /** How often the file's size is looked at. */
  pollMs?: number
  /** Read what the file already holds when the source starts (default: only what is appended). */
  fromStart?: boolean
}

/** At most this much is read per poll, so a burst of appended megabytes never stalls the loop. */
const MAX_READ = 4 * 1024 * 1024

/**
 * Follows lines another program appends to a file, like `tail -F`: the size is polled (watch
 * events are unreliable on network shares and across editors) and only new bytes are read. A
 * file that shrinks or is replaced (rotated) is read again from its new start; a file that is
 * missing leaves the source `reconnecting` until it appears.
 */
export class FileTailSource extends FileSourceBase implements Source {
  private readonly stamp = new HostStamp()
  readonly kind = 'file-tail'
  private timer: Timer | null = null
  private busy = false
  private firstLook = true
  /** The file being followed (inode) and how far it has been read; null while it is missing. */
  private ino: number | null = null
  private position = 0
  private atFileStart = false
  private splitter: LineSplitter | null = null

  constructor(private readonly opts: FileTailSourceOptions) {
    super(opts)
  }

  start(sink: SampleSink): void {
    if (this.sink) return
    this.sink = sink
    this.state = 'starting'
    this.firstLook = true
    this.ino = null
    void this.poll()
    this.timer = this.opts.clock.setInterval(() => void this.poll(), this.opts.pollMs ?? 250)
  }

  stop(): void {
    this.sink = null
    if (this.timer) this.opts.clock.clearInterval(this.timer)
    this.timer = null
    this.splitter = null
    this.state = 'stopped'
  }

  private async poll(): Promise<void> {
    if (this.busy || !this.sink) return
    this.busy = true
    try {
      await this.look()
    } catch (err) {
      this.missing(err)
    } finally {
      this.busy = false
    }
  }

  private async look(): Promise<void> {
    // Opened (and checked: a regular file in an allowed folder) at every look, because a
    // rotated file is a new file.
    const { handle, size, ino } = await openAllowedFile(this.opts.path, this.opts.folders())
    try {
      await this.lookAt(handle, { size, ino })
    } finally {
      await handle.close()
    }
  }

  private async lookAt(handle: FileHandle, info: { size: number; ino: number }): Promise<void> {
    if (!this.sink) return
    if (this.ino === null) {
      // Present when the source starts: follow from its end. Appeared later: it is all new.
      const skipExisting = this.firstLook && !this.opts.fromStart
      this.follow(info.ino, skipExisting ? info.size : 0)
      this.opts.log?.info(`${this.id}: following ${this.opts.path}`)
    } else if (info.ino !== this.ino || info.size < this.position) {
      this.opts.log?.info(`${this.id}: ${this.opts.path} was truncated or replaced, reading anew`)
      this.follow(info.ino, 0)
    }
    this.firstLook = false
    this.state = 'running'
    this.lastError = null
    if (info.size > this.position) await this.readNew(handle, info.size)
  }

  private follow(ino: number, position: number): void {
    this.ino = ino
    this.position = position
    this.atFileStart = position === 0
    this.splitter = new LineSplitter(
      this.opts.format.maxLineLength,
      (line) => this.onLine(line),
      (start) => this.reader.errors.add('too-long', start),
    )
  }

  private async readNew(handle: FileHandle, size: number): Promise<void> {
    const buffer = Buffer.alloc(Math.min(MAX_READ, size - this.position))
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.position)
    if (!this.sink || !this.splitter) return
    this.position += bytesRead
    this.splitter.push(buffer.subarray(0, bytesRead))
  }

  private onLine(line: string): void {
    const now = this.stamp.next(this.opts.clock.now())
    const first = this.atFileStart
    this.atFileStart = false
    this.deliver(first ? this.reader.readFirst(line, now) : this.reader.read(line, now))
  }

  private missing(err: unknown): void {
    if (!this.sink) return
    const message =
      err instanceof VigilError ? err.message : explainFileError(err, this.opts.path).message
    if (message !== this.lastError) this.opts.log?.warn(`${this.id}: ${message}`)
    this.lastError = message
    this.state = 'reconnecting'
    this.firstLook = false
    this.ino = null
    this.splitter = null
  }
}
