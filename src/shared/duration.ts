/** Wall-clock durations as people type them ("5m", "90s", "1h30m", "2.5h") and as the app shows them. */

const UNIT_SECONDS = { h: 3600, m: 60, s: 1 } as const;
const PART = /(\d+(?:\.\d+)?)\s*([hms])/gy;

/**
 * Seconds in a duration like "5m", "90s", "1h30m" or "2.5h" (a bare number is minutes), or null
 * when the text is not one. Each unit at most once, largest first.
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 60;
  PART.lastIndex = 0;
  let seconds = 0;
  let used = '';
  let end = 0;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    const unit = match[2] as keyof typeof UNIT_SECONDS;
    // "1m2h" or "5m5m" are typos, not durations.
    if (used.includes(unit) || (used && 'hms'.indexOf(unit) < 'hms'.indexOf(used.at(-1)!))) return null;
    used += unit;
    seconds += Number(match[1]) * UNIT_SECONDS[unit];
    end = PART.lastIndex;
    while (trimmed[end] === ' ') end++;
    PART.lastIndex = end;
  }
  return used && end === trimmed.length ? seconds : null;
}

/** "45 s", "4 min 40 s", "1 h 5 min": a duration for a sentence. */
export function formatSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}
