import type { ReadStream } from 'node:fs'
import { VigilError } from '../../contract'
import type { Timer } from '../../platform/clock'
import { LineSplitter } from '../lines/line-splitter'
import type { Sample } from '../sample'
import type { SampleSink, Source } from '../source'
import { openAllowedFile } from './file-access'
import { explainFileError } from './file-errors'
import { FileSourceBase, type FileSourceOptions } from './file-source-base'
import { ReplayTiming } from './replay-timing'

export interface FileReplaySourceOptions extends FileSourceOptions {
  /** 1: real time (the gaps between device time stamps, or 1 row per second without them). */
  speed: number
  loop: boolean
  /** Wait before trying again when the file cannot be opened. */
  retryMs?: number
}

interface Row {
  device: number | null
  samples: Sample[]
}

/** Rows read ahead of playback: the stream pauses above HIGH and resumes below LOW. */
const HIGH = 2000
const LOW = 500
/** Most rows played in one timer turn when playback has fallen behind (very high speeds). */
const MAX_ROWS_PER_TURN = 5000

/**
 * Plays a recorded file as a live stream: rows follow each other with the gaps of their device
 * time stamps divided by `speed`, and their samples are stamped with the host time they are
 * played at, because to everything downstream this is live data now. The file is streamed with
 * a bounded read-ahead, so its size does not matter. A first line that yields nothing is a
 * header and is skipped.
 */
export class FileReplaySource extends FileSourceBase implements Source {
  readonly kind = 'file-replay'
  private readonly timing: ReplayTiming
  private stream: ReadStream | null = null
  private timer: Timer | null = null
  private queue: Row[] = []
  private ended = false
  private firstLine = true
  private rowsThisPass = 0
  /** When the row at the head of the queue is due, computed once per row. */
  private headDue: number | null = null

  constructor(private readonly opts: FileReplaySourceOptions) {
    super(opts)
    this.timing = new ReplayTiming(opts.speed)
  }

  start(sink: SampleSink): void {
    if (this.sink) return
    this.sink = sink
    this.state = 'starting'
    void this.open()
  }

  stop(): void {
    this.sink = null
    if (this.timer) this.opts.clock.clearTimeout(this.timer)
    this.timer = null
    this.closeStream()
    this.queue = []
    this.timing.reset()
    this.headDue = null
    this.state = 'stopped'
  }

  private async open(): Promise<void> {
    if (!this.sink) return
    this.ended = false
    this.firstLine = true
    this.rowsThisPass = 0
    const sink = this.sink
    let opened
    try {
      opened = await openAllowedFile(this.opts.path, this.opts.folders())
    } catch (err) {
      if (this.sink === sink) this.failed(null, err)
      return
    }
    // Stopped (or restarted) while the file was being opened: this open is not wanted.
    if (this.sink !== sink || this.stream) {
      await opened.handle.close()
      return
    }
    const stream = opened.handle.createReadStream({ highWaterMark: 64 * 1024 })
    this.stream = stream
    const splitter = new LineSplitter(
      this.opts.format.maxLineLength,
      (line) => this.onLine(line),
      (start) => this.reader.errors.add('too-long', start),
    )
    this.state = 'running'
    this.lastError = null
    stream.on('data', (chunk) => {
      splitter.push(chunk)
      if (this.queue.length >= HIGH) stream.pause()
      this.schedule()
    })
    stream.on('end', () => {
      splitter.push('\n')
      this.ended = true
      this.schedule()
    })
    stream.on('error', (err) => this.failed(stream, err))
  }

  private onLine(line: string): void {
    const first = this.firstLine
    this.firstLine = false
    const samples = first ? this.reader.readFirst(line, 0) : this.reader.read(line, 0)
    if (samples.length === 0) return
    const device = this.opts.format.timestamp ? (samples[0]?.t ?? null) : null
    this.queue.push({ device, samples })
    this.rowsThisPass++
  }

  private dueOfHead(row: Row): number {
    this.headDue ??= this.timing.next(row.device, this.opts.clock.now())
    return this.headDue
  }

  private schedule(): void {
    if (this.timer || !this.sink) return
    const row = this.queue[0]
    if (!row) {
      if (this.ended) this.endOfFile()
      return
    }
    const delay = Math.max(0, this.dueOfHead(row) - this.opts.clock.now())
    this.timer = this.opts.clock.setTimeout(() => this.play(), delay)
  }

  /** Plays every row that is due, as one delivery, then waits for the next. */
  private play(): void {
    this.timer = null
    if (!this.sink) return
    const now = this.opts.clock.now()
    const out: Sample[] = []
    for (let n = 0; n < MAX_ROWS_PER_TURN; n++) {
      const row = this.queue[0]
      if (!row) break
      const due = this.dueOfHead(row)
      if (due > now) break
      this.queue.shift()
      this.headDue = null
      // Stamped with the planned time, not `now`: rows played together when playback catches
      // up keep distinct times, and the spacing stays the file's.
      const t = Math.round(due)
      for (const s of row.samples) out.push({ sensorId: s.sensorId, t, value: s.value })
    }
    this.deliver(out)
    if (this.stream?.isPaused() && this.queue.length < LOW) this.stream.resume()
    this.schedule()
  }

  private endOfFile(): void {
    this.closeStream()
    if (this.opts.loop && this.rowsThisPass > 0) {
      this.timing.restart()
      void this.open()
      return
    }
    if (this.rowsThisPass === 0) this.lastError = `No readable rows in ${this.opts.path}`
    this.opts.log?.info(`${this.id}: end of ${this.opts.path}`)
    this.state = 'stopped'
  }

  private failed(stream: ReadStream | null, err: unknown): void {
    if (this.stream !== stream || !this.sink) return
    this.closeStream()
    const message =
      err instanceof VigilError ? err.message : explainFileError(err, this.opts.path).message
    // Retried every few seconds for as long as it lasts: said once, not every time.
    if (message !== this.lastError) this.opts.log?.warn(`${this.id}: ${message}`)
    this.lastError = message
    this.state = 'reconnecting'
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null
      void this.open()
    }, this.opts.retryMs ?? 2000)
  }

  private closeStream(): void {
    const stream = this.stream
    this.stream = null
    if (!stream) return
    stream.removeAllListeners()
    stream.on('error', () => {})
    stream.destroy()
  }
}
