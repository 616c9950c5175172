import '../../console/machine-console.ts';
import '../../widgets/problem-screen.ts';
import type { EarlyDial } from '../../controllers/dial.ts';
import { prestartRemembered } from '../../controllers/video-first.ts';
import { localStore } from '../../lib/card-prefs.ts';
import { machineNameFromHostname } from '../../lib/connection-state.ts';
import type { CredentialFailure, MachineCredentials } from '../../lib/credentials.ts';
import { explainCredentialFailure } from '../../lib/explanations.ts';

/**
 * The single-machine app's screens, loaded by its entry while the machine is being dialled: the
 * console for the cookie's machine, taking over the entry's dial, or why it cannot start.
 */
export function mountConsole(credentials: MachineCredentials, dial: EarlyDial): void {
  const credential = dial.credential;
  const machineKey = credentials.machineId || credentials.machineKey;
  // A remembered drive view's camera asks for its stream now (after the status and the resource
  // list the dial asked for), not once the console has drawn its dashboard.
  void dial.client.then(
    (client) => prestartRemembered(client, machineKey, localStore()),
    () => undefined,
  );
  const shell = document.createElement('machine-console');
  shell.target = {
    host: credentials.hostname,
    machineKey,
    displayName: machineNameFromHostname(credentials.hostname),
    credential: () => credential,
    secrets: () => [credentials.apiKey],
    earlyDial: dial,
    // Its logs and cloud facts, read with the same machine-scoped key.
    ...(credentials.machineId === '' ? {} : { machineId: credentials.machineId }),
  };
  document.body.prepend(shell);
}

export function mountProblem(failure: CredentialFailure): void {
  const screen = document.createElement('problem-screen');
  screen.explanation = explainCredentialFailure(failure);
  document.body.prepend(screen);
}
