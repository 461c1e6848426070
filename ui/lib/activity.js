// Tells the shell the practitioner is active (keys, pointer, scrolling), at most every few
// seconds, so the idle auto-lock — which runs in Rust — does not lock mid-work.

import { touch } from '../ipc.js';

/** Least time between two activity reports, in ms. */
export const REPORT_EVERY_MS = 5000;

/** True when an activity at `now` should be reported, given the last report. */
export function shouldReport(lastReported, now, every = REPORT_EVERY_MS) {
  return now - lastReported >= every;
}

/** Starts reporting activity. */
export function watchActivity() {
  let last = 0;
  const report = () => {
    const now = Date.now();
    if (!shouldReport(last, now)) return;
    last = now;
    touch().catch(() => {});
  };
  for (const type of ['keydown', 'pointerdown', 'wheel', 'input']) {
    globalThis.addEventListener(type, report, { passive: true, capture: true });
  }
}
