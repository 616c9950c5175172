/**
 * The event-loop stall reporter the bench's child processes share (the simulated machine, and a
 * bystander that does nothing else): one line `STALL <json>` on stdout per stall.
 */

/** A tick this often; one that comes over STALL_MS after the last is a stall. */
const TICK_MS = 10;
const STALL_MS = 25;

/**
 * Reports the stretches in which this process's event loop did not get back to its timers (nor to
 * a call or a datagram waiting): when it started (epoch ms), how long, and the CPU time the process
 * had meanwhile. A stall with about as much CPU as it was long was one long piece of work; in one
 * with little CPU the process was not running (waiting to be scheduled, or blocked).
 */
export function watchStalls(): void {
  let last = Date.now();
  let cpu = process.cpuUsage();
  setInterval(() => {
    const now = Date.now();
    if (now - last > STALL_MS) {
      const used = process.cpuUsage(cpu);
      const stall = { at: last, ms: now - last, cpuMs: Math.round((used.user + used.system) / 1000) };
      process.stdout.write(`STALL ${JSON.stringify(stall)}\n`);
    }
    last = now;
    cpu = process.cpuUsage();
  }, TICK_MS).unref();
}
