/**
 * @module A clock a fake upstream runs on. Real services expire tokens and sessions on their own time;
 * a fake does the same on this clock, and a test moves it forward by days without waiting.
 */
export class FakeClock {
  private offsetMs = 0

  constructor(private readonly base: () => number = Date.now) {}

  now(): Date {
    return new Date(this.base() + this.offsetMs)
  }

  ms(): number {
    return this.base() + this.offsetMs
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }
}
