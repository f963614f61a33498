/**
 * Turns a `DurationInput` into a backend's unit exactly, or explains why it cannot. The only place
 * where write durations are converted (reads use units/duration.ts, which this builds on).
 */
import type { DurationUnit } from '../units/duration.js';
import type { UserErrorModel } from '../core/contract.js';
import { userError } from './user-errors.js';

export interface DurationInputValue {
  milliseconds?: number | null;
  seconds?: number | null;
  minutes?: number | null;
  hours?: number | null;
}

export type RoundingMode = 'NEAREST' | 'UP' | 'DOWN';

const MS_PER: Record<DurationUnit, number> = { MILLISECONDS: 1, SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000 };
const MEMBERS = [
  ['milliseconds', 'MILLISECONDS'],
  ['seconds', 'SECONDS'],
  ['minutes', 'MINUTES'],
  ['hours', 'HOURS'],
] as const;

/** Removes binary noise (0.1 * 3600000 = 360000.00000000006) without hiding real fractions. */
const clean = (x: number) => Number(x.toPrecision(15));

function round(x: number, mode: RoundingMode): number {
  if (mode === 'UP') return Math.ceil(x);
  if (mode === 'DOWN') return Math.floor(x);
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * The value in `unit` (a whole number, as every backend stores whole units), or a userError:
 * `INEXACT_DURATION` when it is not whole and no rounding mode was named.
 */
export function durationIn(
  input: DurationInputValue,
  unit: DurationUnit,
  field: string[],
  rounding?: RoundingMode | null,
): { value: number } | { error: UserErrorModel } {
  const given = MEMBERS.filter(([name]) => input[name] !== undefined && input[name] !== null);
  if (given.length !== 1) {
    return { error: userError(field, 'Give the duration in exactly one unit.', 'INVALID_DURATION') };
  }
  const [name, from] = given[0];
  const raw = input[name] as number;
  if (!Number.isFinite(raw)) return { error: userError([...field, name], `Duration ${raw} is not a finite number.`, 'INVALID_DURATION') };
  const inUnit = clean((raw * MS_PER[from]) / MS_PER[unit]);
  if (Number.isInteger(inUnit)) return { value: inUnit };
  if (rounding) return { value: round(inUnit, rounding) };
  return {
    error: userError(
      [...field, name],
      `${raw} ${name} is ${inUnit} ${unit.toLowerCase()}, which the backend cannot hold exactly (it stores whole ${unit.toLowerCase()}); name a rounding mode to round it.`,
      'INEXACT_DURATION',
    ),
  };
}
