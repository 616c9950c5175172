/**
 * Ports of the e2e stack (tests/dev/e2e-server.ts), away from the dev defaults. E2E_PORT_BASE moves
 * both, so two suites can run side by side on one machine.
 */
const portBase = Number(process.env['E2E_PORT_BASE'] ?? 0);
export const E2E_SIM_PORT = 18091 + portBase;
export const E2E_APP_PORT = 14173 + portBase;
export const E2E_OUT_DIR = portBase === 0 ? 'dist-e2e' : `dist-e2e-${portBase}`;
export const E2E_APP_URL = `http://localhost:${E2E_APP_PORT}`;
export const E2E_SIM_URL = `http://localhost:${E2E_SIM_PORT}`;
