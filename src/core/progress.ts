/**
 * The one progress cadence: every engine, worker and printer reports progress at most every PROGRESS_MS (the page's
 * views redraw from these reports; the command line rewrites its progress line).
 */

/** Least interval between progress reports, in ms (10 a second: smooth enough to watch, cheap beside the work). */
export const PROGRESS_MS = 100;

/** Least interval between progress lines printed to a log rather than a terminal (each report is a new line there), in ms. */
export const LOG_PROGRESS_MS = 1000;

/** The cadence of a command-line progress printer writing to a stream: PROGRESS_MS on a terminal, LOG_PROGRESS_MS to a log. */
export const printedProgressMs = (stream: { isTTY?: boolean }): number => (stream.isTTY ? PROGRESS_MS : LOG_PROGRESS_MS);

/**
 * A gate for progress reports: `due()` is true at most every `ms` (the first call is always due); `due(true)` is true
 * and restarts the interval (a final report, or one that must not be skipped).
 */
export function progressGate(ms = PROGRESS_MS): (force?: boolean) => boolean {
  let last = -Infinity;
  return (force = false) => {
    const now = performance.now();
    if (!force && now - last < ms) return false;
    last = now;
    return true;
  };
}
