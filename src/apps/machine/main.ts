import '../../security/boot.ts';
import '../../styles/page.css';
import '../../console/machine-console.ts';
import '../../widgets/problem-screen.ts';
import { machineNameFromHostname } from '../../lib/connection-state.ts';
import { readCookieJar } from '../../lib/cookie-jar.ts';
import { apiKeyCredential, readCredentials } from '../../lib/credentials.ts';
import { explainCredentialFailure } from '../../lib/explanations.ts';

/**
 * The single-machine app: the platform opens it at /machine/<key>/ with the machine's cookie. This
 * entry reads that cookie once and hands the console its target, or explains why it cannot.
 */
const result = readCredentials(window.location.pathname, readCookieJar());
if (result.ok) {
  const { credentials } = result;
  const credential = apiKeyCredential(credentials);
  const shell = document.createElement('machine-console');
  shell.target = {
    host: credentials.hostname,
    machineKey: credentials.machineId || credentials.machineKey,
    displayName: machineNameFromHostname(credentials.hostname),
    credential: () => credential,
    secrets: () => [credentials.apiKey],
    // Its logs and cloud facts, read with the same machine-scoped key.
    ...(credentials.machineId === '' ? {} : { machineId: credentials.machineId }),
  };
  document.body.prepend(shell);
} else {
  const screen = document.createElement('problem-screen');
  screen.explanation = explainCredentialFailure(result.failure);
  document.body.prepend(screen);
}
