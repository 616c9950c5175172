import { createContext } from '@lit/context';
import type { RobotClient } from '@viamrobotics/sdk';
import type { ConnectionSnapshot } from './lib/connection-state.ts';

/** The connected SDK client, or undefined while there is none. Provided by the connection controller. */
export const robotClientContext = createContext<RobotClient | undefined>(Symbol('viam-robot-client'));

/** What the connection is doing right now. Provided by the connection controller. */
export const connectionContext = createContext<ConnectionSnapshot>(Symbol('viam-connection'));
