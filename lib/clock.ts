/**
 * @module A clock a fake upstream runs on. Real services expire tokens and sessions on their own time;
 * a fake does the same on this clock, and a test moves it forward by days without waiting. The base is
 * real time, a fixed instant, or any function (a fake whose "today" can be set).
 */
export class FakeClock {
  private offsetMs = 0
  private readonly base: () => number

  constructor(base?: Date | (() => number)) {
    this.base = typeof base === 'function' ? base : base ? () => base.getTime() : Date.now
  }

  now(): Date {
    return new Date(this.ms())
  }

  ms(): number {
    return this.base() + this.offsetMs
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }
}
