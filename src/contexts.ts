import { createContext } from '@lit/context';
import type { RobotClient } from '@viamrobotics/sdk';
import type { CloudAccess } from './cloud/cloud-access.ts';
import type { CommandLog } from './lib/command-log.ts';
import type { ConnectionSnapshot } from './lib/connection-state.ts';
import type { LogSummary } from './lib/log-summary.ts';

/** The connected SDK client, or undefined while there is none. Provided by the connection controller. */
export const robotClientContext = createContext<RobotClient | undefined>(Symbol('viam-robot-client'));

/** What the connection is doing right now. Provided by the connection controller. */
export const connectionContext = createContext<ConnectionSnapshot>(Symbol('viam-connection'));

/** The log every command goes through. Provided by the app root. */
export const commandLogContext = createContext<CommandLog>(Symbol('viam-command-log'));

/** Per-machine identity for remembering the operator's layout choices. Provided by the app root. */
export const machineKeyContext = createContext<string>(Symbol('viam-machine-key'));

/** The machine's way to Viam's cloud (logs, cloud facts), when the app has one. Provided by the app root. */
export const cloudContext = createContext<CloudAccess | undefined>(Symbol('viam-cloud'));

/** Whether the logs panel is open and what it counted. Provided by the app root. */
export const logSummaryContext = createContext<LogSummary | undefined>(Symbol('viam-log-summary'));
