import { epochDay } from '../../src/core/dates.js';

/** Day number of an ISO date, for compact test data. */
export function d(iso: string): number {
  const [y, m, day] = iso.split('-').map(Number);
  return epochDay(y as number, m as number, day as number);
}

/** Consecutive business days (Mon-Fri) starting at an ISO date. */
export function businessDays(startIso: string, count: number): number[] {
  const out: number[] = [];
  let day = d(startIso);
  while (out.length < count) {
    const wd = (((day + 4) % 7) + 7) % 7;
    if (wd !== 0 && wd !== 6) out.push(day);
    day++;
  }
  return out;
}
