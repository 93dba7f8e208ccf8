import { StringDecoder } from 'node:string_decoder'

/**
 * Cuts a byte stream into lines (LF or CRLF). A line that grows past `maxLength` before its end
 * arrives is dropped up to the next newline and reported once, so a device stuck sending
 * without newlines can never grow memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private overflowing = false

  constructor(
    private readonly maxLength: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (start: string) => void,
  ) {}

  push(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    for (;;) {
      const nl = text.indexOf('\n')
      if (nl === -1) break
      const piece = text.slice(0, nl)
      text = text.slice(nl + 1)
      if (this.overflowing) {
        this.overflowing = false
        this.pending = ''
        continue
      }
      const line = this.pending + piece
      this.pending = ''
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
    }
    if (this.overflowing) return
    this.pending += text
    if (this.pending.length > this.maxLength) {
      this.onOverflow(this.pending.slice(0, 80))
      this.overflowing = true
      this.pending = ''
    }
  }
}
