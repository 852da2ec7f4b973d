/** Number, size and time formatting for readouts; one place so every panel agrees. */

const intFormat = new Intl.NumberFormat('en-US');
const lossFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const bitsFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const betaFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const bytesFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

export function formatInt(value: number): string {
  return intFormat.format(Math.round(value));
}

/** Losses in nats per image: one decimal is all the eye can use. */
export function formatLoss(value: number): string {
  return Number.isFinite(value) ? lossFormat.format(value) : '—';
}

/** Bits per pixel channel: three decimals, since good models differ in the second; "—" for none (null). */
export function formatBits(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? bitsFormat.format(value) : '—';
}

/** β as typed: "1", "0.25", "4". */
export function formatBeta(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? betaFormat.format(value) : '—';
}

/** Learning rates the way people write them: "5e-4", "1e-3", "0.05". */
export function formatRate(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const rounded = Number(value.toPrecision(3));
  return rounded !== 0 && Math.abs(rounded) < 0.01 ? rounded.toExponential() : String(rounded);
}

/** A moment in local time, e.g. "Mar 4, 14:05"; the ISO string when it does not parse. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** Decimal (SI) units, as file managers show them: 1 kB = 1,000 bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? formatInt(value) : bytesFormat.format(value)} ${BYTE_UNITS[unit]}`;
}

/** mm:ss, or h:mm:ss past the hour. */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '--:--';
  const s = Math.round(totalSeconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const mm = String(minutes).padStart(2, '0');
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** "1 image", "2 images": counts in sentences. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatInt(count)} ${count === 1 ? singular : pluralForm}`;
}

/**
 * "Epoch 3"; a map drawn part-way through an epoch has a fractional one, 2.4 being 40% into
 * epoch 3: "Epoch 3 (40%)".
 */
export function formatEpoch(epoch: number): string {
  if (Number.isInteger(epoch)) return `Epoch ${formatInt(epoch)}`;
  const whole = Math.floor(epoch);
  return `Epoch ${formatInt(whole + 1)} (${Math.round((epoch - whole) * 100)}%)`;
}

const psnrFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * PSNR in decibels with one decimal ("23.4 dB"): a tenth of a dB is below what the eye can tell
 * apart. A perfect reconstruction is "∞ dB"; no figure (NaN, null) is "—".
 */
export function formatPsnr(db: number | null | undefined): string {
  if (typeof db !== 'number' || Number.isNaN(db)) return '—';
  if (db === Infinity) return '∞ dB';
  return Number.isFinite(db) ? `${psnrFormat.format(db)} dB` : '—';
}
