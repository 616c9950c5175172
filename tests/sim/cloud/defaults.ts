/**
 * The default fleet's identities (tests/sim/configs/fleet.json) as constants, so a browser test in
 * another process can set a cookie or dial a machine without asking the cloud. A unit test keeps
 * them equal to the file.
 */

/** The rover's machine-scoped API key: the single-machine app's cookie carries it. */
export const DEFAULT_API_KEY_ID = 'sim-api-key-id';
export const DEFAULT_API_KEY = 'sim-api-key-secret-0123456789';

export const ROVER = {
  machineId: '5c1e0a3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c',
  partId: '8d4f2c1a-3b5e-4f70-8a9b-1c2d3e4f5a6b',
  name: 'sim-rover',
  hostname: 'sim-rover-main.local',
  locationId: 'sim0loc1ab',
  orgId: '2a9c7e10-4b3d-4c8e-9f01-23456789abcd',
} as const;

export const ORG_ACME = '2a9c7e10-4b3d-4c8e-9f01-23456789abcd';
export const ORG_BETA = '7f3e9b21-6c4a-4d8b-a1e2-3456789abcde';
export const LOCATION_WAREHOUSE = 'sim0loc1ab';
export const LOCATION_LAB = 'lab0loc2cd';
export const LOCATION_GREENHOUSE = 'grn0loc3ef';

/** The default fleet's machines by role: `hostname` is what createRobotClient dials. */
export const FLEET_MACHINES = {
  rover: { machineId: ROVER.machineId, hostname: ROVER.hostname, state: 'online' },
  armCell: {
    machineId: 'a1c3e5f7-0b2d-4e6f-8a9c-1b3d5f7a9c2e',
    hostname: 'arm-cell-1-main.lab0loc2cd.viam.cloud',
    state: 'online',
  },
  sensorPod: {
    machineId: 'd4f6a8c0-2e4a-4b6c-8d0f-3e5a7c9e1b3d',
    hostname: 'sensor-pod-1-main.grn0loc3ef.viam.cloud',
    state: 'online',
  },
  forklift: {
    machineId: 'f6b8d0a2-4a6c-4d8e-8f0b-5a7c9e1b3d5f',
    hostname: 'forklift-7-main.sim0loc1ab.viam.cloud',
    state: 'offline',
  },
  armCell2: {
    machineId: 'b8d0f2a4-6c8e-4f0a-9b2d-7c9e1f3b5d7a',
    hostname: 'arm-cell-2-main.lab0loc2cd.viam.cloud',
    state: 'offline',
  },
  sensorPod2: {
    machineId: '0a2c4e6a-8e0a-4b2c-9d4f-9e1a3c5e7a9b',
    hostname: 'sensor-pod-2-main.grn0loc3ef.viam.cloud',
    state: 'awaiting_setup',
  },
} as const;

/** The user who sees every organization (the fleet app's default `userToken`). */
export const DEFAULT_USER_TOKEN = 'sim-user-token-operator-9f2c4e6a8b1d';

/** Users of the default fleet, each seeing something different. */
export const FLEET_USERS = {
  /** both organizations */
  operator: { id: 'u-operator', token: DEFAULT_USER_TOKEN },
  /** one location (Warehouse East) only */
  warehouse: { id: 'u-warehouse', token: 'sim-user-token-warehouse-3b5d7f9a1c2e' },
  /** the Beta Farms organization only */
  farms: { id: 'u-farms', token: 'sim-user-token-farms-6e8a0c2e4f1b' },
  /** a member of nothing: an empty list */
  nobody: { id: 'u-nobody', token: 'sim-user-token-nobody-5a7c9e1b3d4f' },
  /** expired on 2024-01-01: Unauthenticated everywhere */
  expired: { id: 'u-expired', token: 'sim-user-token-expired-0d2f4b6d8a3c' },
} as const;

/** API keys of the default fleet, one per scope (plus a second machine key). */
export const FLEET_API_KEYS = {
  rover: { id: DEFAULT_API_KEY_ID, key: DEFAULT_API_KEY, scope: 'machine' },
  armCell: { id: 'sim-arm-cell-key-id', key: 'sim-arm-cell-key-secret-4a6c8e0b2d', scope: 'machine' },
  lab: { id: 'sim-lab-location-key-id', key: 'sim-lab-location-key-secret-7b9d1f3a', scope: 'location' },
  farms: { id: 'sim-farms-org-key-id', key: 'sim-farms-org-key-secret-2c4e6a8b0d', scope: 'organization' },
} as const;

export const DEFAULT_OFFLINE_DELAY_MS = 1000;
