import { describe, expect, it } from 'vitest';
import { localDay, settledDay } from '../../../src/data/providers/calendar.js';
import { cleanBars, describeCleaning } from '../../../src/data/providers/clean.js';
import { isExchangeHoliday, nyseHolidays } from '../../../src/data/providers/holidays.js';
import { couldHoldSession, subtractRanges } from '../../../src/data/providers/ranges.js';
import type { RawBar } from '../../../src/data/providers/types.js';
import { day } from './fixtures.js';

const bar = (iso: string, close: number | null, extra: Partial<RawBar> = {}): RawBar => ({
  day: day(iso),
  open: close,
  high: close,
  low: close,
  close,
  adjClose: close,
  volume: 100,
  ...extra,
});

describe('exchange calendar', () => {
  it('knows the NYSE holidays of 2024 and 2022 (New Year on a Saturday is not observed)', () => {
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    expect([...nyseHolidays(2024)].map(iso).sort()).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ]);
    expect(isExchangeHoliday(day('2021-12-31'), 'America/New_York')).toBe(false);
    expect(isExchangeHoliday(day('2022-12-26'), 'America/New_York')).toBe(true);
    expect(isExchangeHoliday(day('2024-12-25'), 'Europe/London')).toBe(false);
  });

  it('finds the settled day from the local time, weekends and holidays', () => {
    const ny = 'America/New_York';
    expect(settledDay(Date.UTC(2024, 0, 10, 17), ny)).toBe(day('2024-01-09')); // Wednesday noon
    expect(settledDay(Date.UTC(2024, 0, 10, 23, 30), ny)).toBe(day('2024-01-10')); // Wednesday 18:30
    expect(settledDay(Date.UTC(2024, 0, 13, 15), ny)).toBe(day('2024-01-13')); // Saturday
    expect(settledDay(Date.UTC(2024, 0, 15, 15), ny)).toBe(day('2024-01-15')); // Martin Luther King Jr. Day
    // 02:00 UTC on the 11th is still the 10th in New York.
    expect(localDay(Date.UTC(2024, 0, 11, 2), ny)).toBe(day('2024-01-10'));
    expect(localDay(Date.UTC(2024, 0, 10, 23), 'Australia/Sydney')).toBe(day('2024-01-11'));
  });

  it('subtracts coverage and ignores gaps of weekends and holidays only', () => {
    const covered = [
      { fromDay: day('2024-01-03'), toDay: day('2024-01-05') },
      { fromDay: day('2024-01-10'), toDay: day('2024-01-12') },
    ];
    expect(subtractRanges({ fromDay: day('2024-01-01'), toDay: day('2024-01-16') }, covered)).toEqual([
      { fromDay: day('2024-01-01'), toDay: day('2024-01-02') },
      { fromDay: day('2024-01-06'), toDay: day('2024-01-09') },
      { fromDay: day('2024-01-13'), toDay: day('2024-01-16') },
    ]);
    expect(subtractRanges({ fromDay: day('2024-01-03'), toDay: day('2024-01-04') }, covered)).toEqual([]);
    // Saturday 13th to Monday 15th (a holiday): no session.
    expect(couldHoldSession({ fromDay: day('2024-01-13'), toDay: day('2024-01-15') }, 'America/New_York')).toBe(false);
    expect(couldHoldSession({ fromDay: day('2024-01-13'), toDay: day('2024-01-15') }, 'Europe/London')).toBe(true);
  });
});

describe('cleaning', () => {
  it('keeps the last of duplicate rows and drops null rows and a stale repeated last row', () => {
    const { bars, report } = cleanBars([
      bar('2024-01-03', 11),
      bar('2024-01-02', 10),
      bar('2024-01-03', 11.5),
      bar('2024-01-04', null),
      bar('2024-01-05', 12, { volume: 500 }),
      bar('2024-01-08', 12, { volume: 500 }),
    ]);
    expect(bars.map((b) => [b.day, b.close])).toEqual([
      [day('2024-01-02'), 10],
      [day('2024-01-03'), 11.5],
      [day('2024-01-05'), 12],
    ]);
    expect(report.duplicateDays).toEqual([day('2024-01-03')]);
    expect(report.nullRows).toEqual([day('2024-01-04')]);
    expect(report.staleLastRow).toBe(day('2024-01-08'));
    expect(describeCleaning(report)).toHaveLength(3);
  });

  it('flags a lasting 100x level change but keeps it', () => {
    const { bars, report } = cleanBars([bar('2024-01-02', 150), bar('2024-01-03', 1.5), bar('2024-01-04', 1.52)]);
    expect(bars).toHaveLength(3);
    expect(report.jumps).toEqual([{ day: day('2024-01-03'), ratio: 0.01, action: 'flagged' }]);
    expect(describeCleaning(report)[0]).toMatch(/price jump \/100 on 2024-01-03 kept but suspicious/);
  });

  it('accepts zero and negative rates for rate series', () => {
    const { bars, report } = cleanBars([bar('2024-01-02', 0.01), bar('2024-01-03', 0), bar('2024-01-04', -0.1)], {
      valueKind: 'rate',
    });
    expect(bars.map((b) => b.close)).toEqual([0.01, 0, -0.1]);
    expect(report.jumps).toEqual([]);
  });
});
