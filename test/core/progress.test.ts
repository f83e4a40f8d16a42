import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_PROGRESS_MS, printedProgressMs, PROGRESS_MS, progressGate } from '../../src/core/progress';

afterEach(() => { vi.useRealTimers(); });

describe('the one progress cadence', () => {
  it('opens at once, then at most every PROGRESS_MS; a forced report always passes and restarts the interval', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const due = progressGate();
    expect(due()).toBe(true);
    vi.advanceTimersByTime(PROGRESS_MS - 1);
    expect(due()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(due()).toBe(true);
    vi.advanceTimersByTime(10);
    expect(due(true)).toBe(true);
    vi.advanceTimersByTime(PROGRESS_MS - 1);
    expect(due()).toBe(false);
  });

  it('prints on a terminal at that cadence, and to a log (a line per report) once a second', () => {
    expect(printedProgressMs({ isTTY: true })).toBe(PROGRESS_MS);
    expect(printedProgressMs({})).toBe(LOG_PROGRESS_MS);
  });

  it('is the cadence of every reporter: no other progress interval is written in the sources', async () => {
    const { spawnSync } = await import('node:child_process');
    const grep = spawnSync('grep', ['-rnE', '--exclude=progress.ts', 'PROGRESS_EVERY|now - last(Report)? [<>]|performance.now\\(\\) - last', 'src'], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
    expect(grep.stdout).toBe('');
    expect(grep.status, 'grep: 1 = nothing found').toBe(1);
  });
});
