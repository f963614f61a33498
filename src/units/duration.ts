/**
 * The only place where time units are converted. The canonical value is an exact integer number of
 * milliseconds; every backend value is converted here, and resolvers only read the results.
 */
export type DurationUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS';

const MS_PER: Record<DurationUnit, number> = {
  MILLISECONDS: 1,
  SECONDS: 1_000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
};

/**
 * Converts a backend value to integer milliseconds. Values finer than a millisecond (a Laurel double
 * such as 0.0004 s) are rounded half away from zero, the one rounding TimeGraph does on reads.
 * Decimal scaling avoids binary artefacts (0.1 s * 1000 = 100.00000000000001).
 */
export function toMilliseconds(value: number, unit: DurationUnit): number {
  // Whole minutes and milliseconds (Xurrent, primaERP) scale exactly: the rounding below costs more.
  if (Number.isInteger(value)) {
    const exact = value * MS_PER[unit];
    if (Number.isSafeInteger(exact)) return exact === 0 ? 0 : exact;
  }
  if (!Number.isFinite(value)) throw new RangeError(`duration ${value} is not a finite number`);
  const scaled = Number((value * MS_PER[unit]).toPrecision(15));
  return Math.sign(scaled) * Math.round(Math.abs(scaled));
}

/** Expresses integer milliseconds in another unit (exact when the unit divides the value). */
export function fromMilliseconds(ms: number, unit: DurationUnit): number {
  return unit === 'MILLISECONDS' ? ms : ms / MS_PER[unit];
}

/**
 * Converts milliseconds to a value in `unit` only when that is exact; returns null when the unit
 * cannot hold the value (90 s in whole minutes). Writes use this and never round silently.
 */
export function exactIn(ms: number, unit: DurationUnit): number | null {
  const factor = MS_PER[unit];
  return Number.isInteger(ms) && ms % factor === 0 ? ms / factor : null;
}

/** ISO 8601 duration of integer milliseconds: `PT2H`, `PT10M`, `PT1.5S`, `-PT1H30M`, `PT0S`. */
export function toIso8601(ms: number): string {
  if (ms === 0) return 'PT0S';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  let out = `${sign}PT`;
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (seconds || millis) {
    out += millis ? `${seconds}.${String(millis).padStart(3, '0').replace(/0+$/, '')}S` : `${seconds}S`;
  }
  return out;
}
