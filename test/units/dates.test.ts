// The instants of every entry are parsed and formatted on hot paths written by hand (no Date, no
// regular expression): they must agree with Date.parse and Date#toISOString on every input.
import { describe, expect, it } from 'vitest';
import { isoUtc, parseInstant } from '../../src/units/dates.js';

/** A deterministic pseudo-random sequence, so a failure names an input that fails again. */
function* numbers(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield x / 2_147_483_648;
  }
}
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('isoUtc', () => {
  it('writes what Date#toISOString writes, for 200,000 instants from year 1000 to 9999 and beyond', () => {
    const random = numbers(7);
    for (let i = 0; i < 200_000; i++) {
      const ms = Math.floor((random.next().value * 2 - 1) * 4e14);
      expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('at the edges: the epoch, before it, leap days, the last millisecond of 9999, years outside 1000–9999', () => {
    for (const ms of [0, -1, 951_782_400_000, 951_868_799_999, 1_709_164_800_000, 253_402_300_799_999, 253_402_300_800_000, -30_610_224_000_001, -62_198_755_200_000]) {
      expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe('parseInstant', () => {
  it('reads what Date.parse reads, in the vendors\' forms (Z, ±HH:MM offsets, milliseconds) and nearby ones', () => {
    const random = numbers(11);
    const pick = (n: number) => Math.floor(random.next().value * n);
    for (let i = 0; i < 100_000; i++) {
      // Fields slightly past their ranges too (month 13, day 31 in 30-day months, Feb 29, hour 24, …).
      const date = `${pad(1000 + pick(9000), 4)}-${pad(pick(14))}-${pad(pick(33))}`;
      const time = `${pad(pick(26))}:${pad(pick(62))}:${pad(pick(62))}`;
      const fraction = ['', `.${pad(pick(1000), 3)}`, `.${pick(10)}`, `.${pad(pick(1_000_000), 6)}`][pick(4)];
      const zone = ['Z', `+${pad(pick(25))}:${pad(pick(61))}`, `-${pad(pick(25))}:${pad(pick(61))}`, `+${pad(pick(15))}${pad(pick(60))}`, ''][pick(5)];
      const value = `${date}T${time}${fraction}${zone}`;
      const expected = zone === '' ? null : Number.isNaN(Date.parse(value)) ? null : Date.parse(value);
      expect(parseInstant(value), value).toBe(expected);
    }
  });

  it("reads the seeds' own instants", () => {
    expect(parseInstant('2016-03-28T12:13:11-05:00')).toBe(Date.UTC(2016, 2, 28, 17, 13, 11));
    expect(parseInstant('2022-08-12T20:44:48Z')).toBe(Date.UTC(2022, 7, 12, 20, 44, 48));
    expect(parseInstant('2022-08-12T20:44:48.123Z')).toBe(Date.UTC(2022, 7, 12, 20, 44, 48, 123));
  });

  it('refuses instants without a zone and what is not an instant', () => {
    for (const value of ['2016-03-28T12:13:11', '2016-03-28', 'yesterday', '2016-03-28T12:13:11+0', '']) expect(parseInstant(value), value).toBeNull();
  });
});
