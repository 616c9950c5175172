import { commonApi, type RobotClient } from '@viamrobotics/sdk';
import type { Resource } from './resources.ts';

/** `motor` -> `Motor`, `movement_sensor` -> `MovementSensor`. */
function pascal(subtype: string): string {
  return subtype
    .split(/[_-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Viam's services whose names the convention below does not spell (as @viamrobotics/sdk 0.61.1 has them). */
const VIAM_SERVICE_NAMES: Readonly<Record<string, string>> = {
  'rdk:service:slam': 'viam.service.slam.v1.SLAMService',
  'rdk:service:mlmodel': 'viam.service.mlmodel.v1.MLModelService',
};

/**
 * The gRPC service that serves a resource's API. The machine says so in ResourceRPCSubtypes; without
 * that (a machine that does not implement it), Viam's naming convention is the best guess:
 * `rdk:component:movement_sensor` -> `viam.component.movementsensor.v1.MovementSensorService`.
 */
export function protoServiceFor(resource: Resource, known: ReadonlyMap<string, string>): string {
  const fromMachine = known.get(resource.api) ?? VIAM_SERVICE_NAMES[resource.api];
  if (fromMachine) return fromMachine;
  if (resource.namespace !== 'rdk')
    return `${resource.namespace}.${resource.type}.${resource.subtype}.v1.${pascal(resource.subtype)}Service`;
  const pkg = resource.subtype.replace(/[_-]/g, '');
  return `viam.${resource.type}.${pkg}.v1.${pascal(resource.subtype)}Service`;
}

/** api (`namespace:type:subtype`) -> proto service name, as the machine reports it. */
export async function fetchProtoServices(client: RobotClient): Promise<Map<string, string>> {
  const subtypes = await client.resourceRPCSubtypes();
  const map = new Map<string, string>();
  for (const s of subtypes) {
    if (s.subtype && s.protoService)
      map.set(`${s.subtype.namespace}:${s.subtype.type}:${s.subtype.subtype}`, s.protoService);
  }
  return map;
}

/** Sends DoCommand to any resource, known API or not. `command` must be a JSON object. */
export async function doCommand(
  client: RobotClient,
  protoService: string,
  name: string,
  command: Record<string, unknown>,
): Promise<unknown> {
  const service = client.createServiceClient({
    typeName: protoService,
    methods: {
      doCommand: {
        name: 'DoCommand',
        I: commonApi.DoCommandRequest,
        O: commonApi.DoCommandResponse,
        // MethodKind.Unary (0), without importing a second protobuf runtime into the bundle.
        kind: 0,
      },
    },
  } as const);
  const request = commonApi.DoCommandRequest.fromJson({ name, command } as never);
  const response = await service.doCommand(request);
  return response.result?.toJson() ?? null;
}
