/**
 * The fleet's floor: the least a multi-machine app on this SDK can do to be useful. It reads the same
 * `userToken` cookie, makes the cloud client with createViamClient exactly as the fleet app does (the
 * same SDK instance: virtual:viam-cloud-sdk), asks listMachineSummaries once and writes one line per
 * machine (name and online state) in a single pass. Built by tests/bench/run.ts with the console's
 * own Vite config, beside the single-machine floor (index.html).
 *
 * Markers for the benchmark: body[data-cloud="ready"] once the client is made, and
 * [data-fleet-count] once every machine's line is in the page.
 */
import { createViamClient } from 'virtual:viam-cloud-sdk';

declare const __VIAM_CLOUD_ADDRESS__: string;

function readToken(): string | undefined {
  for (const pair of document.cookie.split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== 'userToken') continue;
    const parsed = JSON.parse(decodeURIComponent(pair.slice(eq + 1))) as { access_token?: string };
    return parsed.access_token;
  }
  return undefined;
}

const out = document.getElementById('out') as HTMLElement;
const list = document.getElementById('machines') as HTMLElement;
const token = readToken();

if (token === undefined) {
  out.textContent = 'No userToken cookie';
} else {
  try {
    const client = await createViamClient({
      serviceHost: __VIAM_CLOUD_ADDRESS__,
      credentials: { type: 'access-token', payload: token },
    });
    document.body.dataset['cloud'] = 'ready';
    const summaries = await client.appClient.listMachineSummaries('', [], [], 1000);
    const rows = document.createDocumentFragment();
    let machines = 0;
    for (const location of summaries) {
      for (const machine of location.machineSummaries) {
        const li = document.createElement('li');
        const online = machine.partSummaries.some((p) => (p.onlineState as number) === 1);
        li.textContent = `${machine.machineName} (${location.locationName}): ${online ? 'online' : 'offline'}`;
        rows.append(li);
        machines++;
      }
    }
    list.append(rows);
    out.textContent = `${machines} machines`;
    out.dataset['fleetCount'] = String(machines);
  } catch (error: unknown) {
    out.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
