/**
 * A process that does nothing but watch its own event loop (see stall-watch.ts): its stalls are
 * the host's, not any work's, so beside the simulated machine's they tell whether the host's cores
 * were oversubscribed at the time. Prints `READY {}`, then `STALL <json>` lines; exits on
 * SIGTERM.
 */
import { watchStalls } from './stall-watch.ts';

watchStalls();
process.stdout.write('READY {}\n');
// Alive until told to stop (the ticker alone does not hold the process), or until the bench that
// started it is gone (it would otherwise outlive a bench that crashed).
const parent = process.ppid;
const alive = setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
process.once('SIGTERM', () => {
  clearInterval(alive);
  process.exit(0);
});
