// Date ranges and interval buckets of a query, as PostHog resolves them, and timestamps as its
// API writes them. Pure functions.

export type Interval = "second" | "minute" | "hour" | "day" | "week" | "month";

const MONTHS_PER: Record<string, number> = { m: 1, q: 3, y: 12 };
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// Enough for any chart; keeps "all" over minutes from building a huge answer.
const MAX_BUCKETS = 400;

/**
 * A PostHog date (`-7d`, `-1m`, `-1y`, `-24h`, `dStart`, `mStart`, `yStart`, `all`, or an
 * absolute date) as a `Date`, relative to `now`; undefined when it cannot be read.
 */
export function parseDate(value: string, now: Date): Date | undefined {
  const relative = /^-(\d+)([hdwmqy])(Start|End)?$/.exec(value);
  if (relative) {
    const n = Number(relative[1]);
    const unit = relative[2] ?? "d";
    const date = new Date(now);
    if (unit === "m" || unit === "q" || unit === "y") {
      date.setUTCMonth(date.getUTCMonth() - n * (MONTHS_PER[unit] ?? 1));
    } else {
      date.setTime(date.getTime() - n * (UNIT_MS[unit] ?? 0));
    }
    return date;
  }
  if (value === "dStart" || value === "mStart" || value === "yStart") {
    const date = new Date(Date.UTC(now.getUTCFullYear(), value === "yStart" ? 0 : now.getUTCMonth(), 1));
    if (value === "dStart") {
      date.setUTCMonth(now.getUTCMonth(), now.getUTCDate());
    }
    return date;
  }
  if (value === "all") {
    return new Date(now.getTime() - 90 * 86_400_000);
  }
  const absolute = new Date(value);
  return Number.isNaN(absolute.getTime()) ? undefined : absolute;
}

function truncate(date: Date, interval: Interval): Date {
  const d = new Date(date);
  if (interval === "second") {
    d.setUTCMilliseconds(0);
  } else if (interval === "minute") {
    d.setUTCSeconds(0, 0);
  } else if (interval === "hour") {
    d.setUTCMinutes(0, 0, 0);
  } else {
    d.setUTCHours(0, 0, 0, 0);
    if (interval === "week") {
      d.setUTCDate(d.getUTCDate() - d.getUTCDay());
    } else if (interval === "month") {
      d.setUTCDate(1);
    }
  }
  return d;
}

function step(date: Date, interval: Interval): Date {
  const d = new Date(date);
  const ms = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };
  if (interval === "month") {
    d.setUTCMonth(d.getUTCMonth() + 1);
  } else {
    d.setTime(d.getTime() + ms[interval]);
  }
  return d;
}

/** One bucket of a dated series: its start, its label (`14-Jan-2012`) and its day (`2012-01-14`). */
export interface Bucket {
  start: Date;
  label: string;
  day: string;
}

/** The buckets of `interval` between `from` and `to`, the last one at most. */
export function buckets(from: Date, to: Date, interval: Interval): Bucket[] {
  const out: Bucket[] = [];
  const fine = interval === "hour" || interval === "minute" || interval === "second";
  for (let d = truncate(from, interval); d <= to; d = step(d, interval)) {
    const iso = d.toISOString();
    const date = `${String(d.getUTCDate()).padStart(2, "0")}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
    out.push({
      start: d,
      label: fine ? `${date} ${iso.slice(11, 16)}` : date,
      day: fine ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10),
    });
  }
  return out.slice(-MAX_BUCKETS);
}

/** The resolved range of a query's `dateRange` (default: the last 7 days). */
export function resolveRange(dateRange: unknown, now: Date, fallback = "-7d"): { from: Date; to: Date } {
  const range = (dateRange && typeof dateRange === "object" ? dateRange : {}) as Record<string, unknown>;
  const fromText = typeof range.date_from === "string" ? range.date_from : fallback;
  const toText = typeof range.date_to === "string" ? range.date_to : undefined;
  const to = (toText && parseDate(toText, now)) || now;
  const from = parseDate(fromText, now) ?? parseDate(fallback, now) ?? now;
  return from <= to ? { from, to } : { from: to, to: from };
}

/**
 * A timestamp as PostHog's API writes it (Django REST framework's `isoformat()` with `Z`): no
 * fraction when it is zero (`2012-01-14T03:21:34Z`), else microseconds (`...34.120000Z`).
 */
export function serverTime(date: Date | number): string {
  const iso = new Date(date).toISOString();
  const millis = iso.slice(20, 23);
  return millis === "000" ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${millis}000Z`;
}
