import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactIn, fromMilliseconds, toIso8601, toMilliseconds } from '../../src/units/duration.js';
import { calendarDayIn, isCalendarDate, parseInstant, parseMsJsonDate } from '../../src/units/dates.js';

describe('durations', () => {
  it('converts each backend unit to exact integer milliseconds', () => {
    expect(toMilliseconds(120, 'MINUTES')).toBe(7_200_000);
    expect(toMilliseconds(-10, 'MINUTES')).toBe(-600_000);
    expect(toMilliseconds(0.1, 'SECONDS')).toBe(100);
    expect(toMilliseconds(1.5, 'SECONDS')).toBe(1500);
    expect(toMilliseconds(21_600_000, 'MILLISECONDS')).toBe(21_600_000);
    expect(toMilliseconds(0.0004, 'SECONDS')).toBe(0);
    expect(toMilliseconds(-0.0015, 'SECONDS')).toBe(-2);
  });

  it('divides exactly for whole units', () => {
    expect(fromMilliseconds(600_000, 'MINUTES')).toBe(10);
    expect(fromMilliseconds(600_000, 'SECONDS')).toBe(600);
    expect(fromMilliseconds(21_600_000, 'HOURS')).toBe(6);
  });

  it('round-trips every whole number of minutes and seconds exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -525_600, max: 525_600 }), (n) => {
        expect(fromMilliseconds(toMilliseconds(n, 'MINUTES'), 'MINUTES')).toBe(n);
        expect(fromMilliseconds(toMilliseconds(n, 'SECONDS'), 'SECONDS')).toBe(n);
      }),
    );
  });

  it('refuses inexact conversions instead of rounding', () => {
    expect(exactIn(90_000, 'MINUTES')).toBeNull();
    expect(exactIn(120_000, 'MINUTES')).toBe(2);
    expect(exactIn(1.5, 'MILLISECONDS')).toBeNull();
  });

  it('formats ISO 8601 durations', () => {
    expect(toIso8601(7_200_000)).toBe('PT2H');
    expect(toIso8601(600_000)).toBe('PT10M');
    expect(toIso8601(-5_400_000)).toBe('-PT1H30M');
    expect(toIso8601(1_500)).toBe('PT1.5S');
    expect(toIso8601(0)).toBe('PT0S');
    expect(toIso8601(93_784_005)).toBe('PT26H3M4.005S');
  });
});

describe('dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-2-1')).toBe(false);
  });

  it('parses instants only with a zone', () => {
    expect(parseInstant('2016-03-28T12:13:11-05:00')).toBe(Date.UTC(2016, 2, 28, 17, 13, 11));
    expect(parseInstant('2016-03-28T12:13:11')).toBeNull();
    expect(parseInstant('yesterday')).toBeNull();
  });

  it('parses Microsoft JSON dates without adding the local offset suffix', () => {
    expect(parseMsJsonDate('/Date(1489301594659)/')).toBe(1489301594659);
    expect(parseMsJsonDate('/Date(1489301594659+0200)/')).toBe(1489301594659);
    expect(parseMsJsonDate('/Date(-1000)/')).toBe(-1000);
    expect(parseMsJsonDate('2017-03-12')).toBeNull();
  });

  it('takes the calendar day in the given zone, UTC when none or unknown', () => {
    const ms = Date.UTC(2017, 2, 12, 1, 0); // 01:00Z
    expect(calendarDayIn(ms, 'America/Sao_Paulo')).toBe('2017-03-11');
    expect(calendarDayIn(ms, 'Pacific/Kiritimati')).toBe('2017-03-12');
    expect(calendarDayIn(ms, null)).toBe('2017-03-12');
    expect(calendarDayIn(ms, 'Not/AZone')).toBe('2017-03-12');
  });
});
