/** Resident memory of another process (Linux `/proc`), sampled while a phase of a bench runs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Decimal megabytes (10⁶ bytes), as the raw pixel size is quoted: 100,000 × 32² × 3 = 307 MB. */
export const MB = 1_000_000;

/** `VmRSS` / `VmHWM` of `pid` in bytes, or null where `/proc` is missing (not Linux) or the process is gone. */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return null;
  }
}

export interface MemoryFigures {
  start: number;
  /** The larger of the sampled maximum and the kernel's high-water mark since the phase began. */
  peak: number;
  end: number;
}

/**
 * Samples a process's RSS every `intervalMs` between `start()` and `stop()`. The kernel's peak
 * (`VmHWM`) is reset at `start()` when allowed (`/proc/<pid>/clear_refs`, our own child), so
 * a spike between two samples still counts.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private figures: MemoryFigures = { start: 0, peak: 0, end: 0 };
  private hwmReset = false;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 200,
  ) {}

  current(): number {
    return procMemory(this.pid)?.rss ?? NaN;
  }

  start(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    const rss = this.current();
    this.figures = { start: rss, peak: rss, end: rss };
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    const memory = procMemory(this.pid);
    if (!memory) return;
    this.figures.peak = Math.max(this.figures.peak, memory.rss, this.hwmReset ? memory.hwm : 0);
    this.figures.end = memory.rss;
  }

  stop(): MemoryFigures {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return { ...this.figures };
  }
}

/** Bytes of every file under `directory` (0 when it does not exist). */
export async function directoryBytes(directory: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}
