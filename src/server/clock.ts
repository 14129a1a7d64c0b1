// Time is injected so that deadlines, sweeps and tests never depend on the wall clock inside logic.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advanceHours(h: number): void {
    this.t += h * 3_600_000;
  }
  advanceDays(d: number): void {
    this.t += d * 86_400_000;
  }
}
