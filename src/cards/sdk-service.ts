import type { RobotClient } from '@viamrobotics/sdk';

type Descriptor = Parameters<RobotClient['createServiceClient']>[0];
type SdkClient = new (robot: RobotClient, name: string) => unknown;

const descriptors = new Map<SdkClient, Descriptor>();

/**
 * A raw client for the service behind one of the SDK's resource clients, for methods SDK 0.61.1
 * does not wrap (a camera's GetImage, an input controller's GetControls). The descriptor is the
 * SDK's own, handed over by the client's constructor to a stub robot (every SDK client makes its
 * service client there), so no message class is imported, which would grow the first script.
 */
export function rawService(robot: RobotClient, Client: SdkClient): unknown {
  let descriptor = descriptors.get(Client);
  if (descriptor === undefined) {
    const made: { descriptor?: Descriptor } = {};
    const stub = {
      createServiceClient: (d: Descriptor) => {
        made.descriptor = d;
        return {};
      },
    };
    new Client(stub as unknown as RobotClient, '');
    descriptor = made.descriptor;
    if (descriptor === undefined) throw new Error('The SDK client made no service client');
    descriptors.set(Client, descriptor);
  }
  return robot.createServiceClient(descriptor);
}
