/**
 * Responsiveness probes shared by the browser-host test and `npm run bench -- responsiveness`: when
 * the page sees progress (timed in the page, as the progress bar changes) and how late the host's
 * main event loop ran (`app:get-health`, read over the host's socket or the desktop's bridge).
 */
import type { Page } from '@playwright/test';
import type { AppHealth } from '../../../src/shared/contract';
import { decodeFrame, encodeFrame } from '../../../src/shared/wire-codec';
import { openHostSocket } from '../../support/host-socket';

/** Starts recording, in the page, the time of every progress update. */
export async function recordProgressTimes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const times: number[] = [];
    (window as unknown as { progressTimes: number[] }).progressTimes = times;
    const progress = document.querySelector('[data-testid="progress"]')!;
    new MutationObserver(() => times.push(performance.now())).observe(progress, {
      attributes: true,
      attributeFilter: ['data-batch'],
    });
  });
}

export interface Cadence {
  updates: number;
  medianGapMs: number;
  p90GapMs: number;
  maxGapMs: number;
}

export async function progressCadence(page: Page): Promise<Cadence> {
  const times = await page.evaluate(() => (window as unknown as { progressTimes: number[] }).progressTimes);
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  const at = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor((p / 100) * gaps.length))] ?? NaN;
  return { updates: times.length, medianGapMs: at(50), p90GapMs: at(90), maxGapMs: gaps.at(-1) ?? NaN };
}

/** `app:get-health` over the browser host's socket, with the start token, as the page would. */
export async function readHealthOverSocket(origin: string, token: string): Promise<AppHealth> {
  const socket = await openHostSocket(origin, token);
  try {
    const reply = new Promise<{ result: { ok: boolean; value: AppHealth } }>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const message = decodeFrame(new Uint8Array(data)) as { t: string; id?: number };
        if (message.t === 'res' && message.id === 1) resolve(message as never);
      });
    });
    socket.send(encodeFrame({ t: 'req', id: 1, name: 'app:get-health', args: {} }));
    const { result } = await reply;
    if (!result.ok) throw new Error('app:get-health was refused');
    return result.value;
  } finally {
    socket.close();
  }
}

/** `app:get-health` through the desktop window's bridge. */
export async function readHealthThroughBridge(page: Page): Promise<AppHealth> {
  return page.evaluate(async () => {
    const api = (window as unknown as { api: { invoke(n: string, a: object): Promise<unknown> } }).api;
    const result = (await api.invoke('app:get-health', {})) as { ok: boolean; value: AppHealth };
    if (!result.ok) throw new Error('app:get-health was refused');
    return result.value;
  });
}

export function describeResponsiveness(health: AppHealth, cadence: Cadence): string {
  const { p50, p99, max, samples } = health.eventLoopDelayMs;
  return (
    `main event-loop delay p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms ` +
    `(${samples} samples over ${health.windowSeconds.toFixed(1)} s); progress ${cadence.updates} updates, ` +
    `gap median ${cadence.medianGapMs.toFixed(0)} ms, p90 ${cadence.p90GapMs.toFixed(0)} ms, ` +
    `max ${cadence.maxGapMs.toFixed(0)} ms`
  );
}
