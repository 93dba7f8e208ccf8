/**
 * Arrival times that never repeat within one source. Lines that arrive together (one serial
 * read, one poll of a growing file) would otherwise share a millisecond, and the historian
 * keeps one sample per sensor and millisecond: the later lines would be lost. A source stamping
 * arrival time therefore carries at most 1,000 lines a second; past that the stamps run ahead
 * of the clock until the burst ends.
 */
export class HostStamp {
  private last = -Infinity

  next(now: number): number {
    this.last = now > this.last ? now : this.last + 1
    return this.last
  }
}
