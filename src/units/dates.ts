/** Date and instant helpers shared by the mappings; the only place that parses backend date formats. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date `YYYY-MM-DD` (rejects 2024-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 instant that carries a zone (`Z` or an offset); null when it is not one. */
export function parseInstant(value: string): number | null {
  if (!INSTANT_RE.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch milliseconds as an ISO 8601 UTC string. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

const MS_DATE_RE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * Parses a Microsoft JSON date, `/Date(1489386674660)/`: UTC epoch milliseconds, possibly negative.
 * An optional `+hhmm` suffix only says the value was local time; it is not added (backends.md).
 */
export function parseMsJsonDate(value: string): number | null {
  const m = MS_DATE_RE.exec(value);
  return m ? Number(m[1]) : null;
}

/** Formats epoch milliseconds as a Microsoft JSON date. */
export function formatMsJsonDate(ms: number): string {
  return `/Date(${ms})/`;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day (`YYYY-MM-DD`) of an instant in an IANA time zone; UTC when the zone is absent or
 * unknown. Formatters are cached: building one costs far more than using it.
 */
export function calendarDayIn(ms: number, timeZone: string | null | undefined): string {
  const zone = timeZone || 'UTC';
  let fmt = dayFormatters.get(zone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return calendarDayIn(ms, 'UTC');
    }
    dayFormatters.set(zone, fmt);
  }
  return fmt.format(new Date(ms));
}

/** Adds whole days to a calendar date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
