/** Date and instant helpers shared by the mappings; the only place that parses backend date formats. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

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
  const fast = commonInstant(value);
  if (fast !== undefined) return fast;
  if (!INSTANT_RE.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The `n`-digit number at `at`, or -1 when a character there is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * The vendors' own forms, `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`, with every field in its range, read
 * without a regular expression or Date.parse (several per entry: a hot path). Undefined for anything
 * else, which the general path decides, so the answer is always Date.parse's.
 */
function commonInstant(v: string): number | undefined {
  const n = v.length;
  if (n < 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  const hours = digitsAt(v, 11, 2);
  const minutes = digitsAt(v, 14, 2);
  const seconds = digitsAt(v, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!)) return undefined;
  let at = 19;
  let millis = 0;
  if (v.charCodeAt(at) === 46) {
    millis = digitsAt(v, 20, 3);
    if (millis < 0 || (n > 23 && v.charCodeAt(23) >= 48 && v.charCodeAt(23) <= 57)) return undefined;
    at = 23;
  }
  let offsetMinutes = 0;
  const zone = v.charCodeAt(at);
  if (zone === 90 && n === at + 1) offsetMinutes = 0;
  else if ((zone === 43 || zone === 45) && n === at + 6 && v.charCodeAt(at + 3) === 58) {
    const oh = digitsAt(v, at + 1, 2);
    const om = digitsAt(v, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMinutes = (zone === 45 ? -1 : 1) * (oh * 60 + om);
  } else return undefined;
  return daysFromCivil(year, month, day) * DAY_MS + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis - offsetMinutes * 60_000;
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Epoch milliseconds as an ISO 8601 UTC string, exactly as `Date#toISOString` writes it. Every entry
 * has several instants, so this is a hot path: the civil date comes from integer arithmetic (Howard
 * Hinnant's days-to-civil), about 3.5× cheaper than a Date; years outside 1000–9999 go through Date.
 */
export function isoUtc(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999 || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${year}-${PAD2[month]}-${PAD2[day]}T${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[rest - seconds * 1000]}Z`;
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
