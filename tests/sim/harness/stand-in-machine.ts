/**
 * A minimal machine for testing the transport alone (before or without
 * tests/sim/machine): a few RobotService methods, one camera, a call log.
 * Test-only; the real machine model lives in tests/sim/machine.
 */
import { MethodKind } from '@bufbuild/protobuf';
import type { ConnectRouter } from '@connectrpc/connect';
import { commonApi, robotApi } from '@viamrobotics/sdk';

export interface StandInCall {
  method: string;
  transport: 'webrtc' | 'grpc-web';
  sessionId?: string;
  summary: string;
  code: number;
  durationMs: number;
}

const RobotService = {
  typeName: 'viam.robot.v1.RobotService',
  methods: {
    getOperations: {
      name: 'GetOperations',
      I: robotApi.GetOperationsRequest,
      O: robotApi.GetOperationsResponse,
      kind: MethodKind.Unary,
    },
    resourceNames: {
      name: 'ResourceNames',
      I: robotApi.ResourceNamesRequest,
      O: robotApi.ResourceNamesResponse,
      kind: MethodKind.Unary,
    },
    getMachineStatus: {
      name: 'GetMachineStatus',
      I: robotApi.GetMachineStatusRequest,
      O: robotApi.GetMachineStatusResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;

export class StandInMachine {
  readonly hostname = 'stand-in-main.local';
  readonly machineId = '00000000-0000-4000-8000-000000000001';
  readonly calls: StandInCall[] = [];

  registerServices(router: ConnectRouter): void {
    router.service(RobotService, {
      getOperations: () => ({ operations: [] }),
      resourceNames: () => ({
        resources: [
          new commonApi.ResourceName({
            namespace: 'rdk',
            type: 'component',
            subtype: 'camera',
            name: 'cam1',
          }),
        ],
      }),
      getMachineStatus: () => ({ state: robotApi.GetMachineStatusResponse_State.RUNNING }),
    });
  }

  cameraNames(): string[] {
    return ['cam1'];
  }

  logCall(entry: StandInCall): void {
    this.calls.push(entry);
    if (this.calls.length > 5000) this.calls.shift();
  }

  handleControl(method: string, subpath: string): Promise<{ status: number; body: unknown } | undefined> {
    if (method === 'GET' && subpath === 'calls')
      return Promise.resolve({ status: 200, body: { calls: this.calls } });
    if (method === 'DELETE' && subpath === 'calls') {
      this.calls.length = 0;
      return Promise.resolve({ status: 200, body: { calls: [] } });
    }
    return Promise.resolve(undefined);
  }

  dispose(): void {
    this.calls.length = 0;
  }
}
