/**
 * When each replayed row is due, in host time. Anchored on the first row's host time, so
 * timer lateness never adds up over a long file: a late row only makes the next wait shorter.
 */
export class ReplayTiming {
  private anchor: number | null = null
  private fileMs = 0
  private prevDevice: number | null = null

  constructor(private readonly speed: number) {}

  /**
   * The due time of the next row. Rows with device time stamps keep their gaps (a step back in
   * time counts as no gap); rows without, and the step from a file's end back to its start,
   * are one second of file time apart.
   */
  next(device: number | null, now: number): number {
    if (this.anchor === null) {
      this.anchor = now
      this.fileMs = 0
    } else {
      const gap =
        device !== null && this.prevDevice !== null ? Math.max(0, device - this.prevDevice) : 1000
      this.fileMs += gap
    }
    this.prevDevice = device
    return this.anchor + this.fileMs / this.speed
  }

  /** The file starts over (loop): the next row's gap is not measured from the last one. */
  restart(): void {
    this.prevDevice = null
  }

  reset(): void {
    this.anchor = this.prevDevice = null
  }
}
