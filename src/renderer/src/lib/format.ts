/** Number and time formatting for readouts; one place so every panel agrees. */

const intFormat = new Intl.NumberFormat('en-US');
const lossFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatInt(value: number): string {
  return intFormat.format(Math.round(value));
}

/** Losses in nats per image: one decimal is all the eye can use. */
export function formatLoss(value: number): string {
  return Number.isFinite(value) ? lossFormat.format(value) : '—';
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
