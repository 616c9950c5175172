/** Fixed ports of the e2e stack (tests/dev/e2e-server.ts); away from the dev defaults. */
export const E2E_SIM_PORT = 18091;
export const E2E_APP_PORT = 14173;
export const E2E_OUT_DIR = 'dist-e2e';
export const E2E_APP_URL = `http://localhost:${E2E_APP_PORT}`;
export const E2E_SIM_URL = `http://localhost:${E2E_SIM_PORT}`;
