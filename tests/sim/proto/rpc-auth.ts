/**
 * proto.rpc.v1 auth messages and services.
 * Field numbers from viamrobotics/goutils proto/rpc/v1/auth.proto.
 */
import { type Message, MethodKind, proto3, ScalarType } from '@bufbuild/protobuf';

export interface Credentials extends Message<Credentials> {
  type: string;
  payload: string;
}
export const Credentials = proto3.makeMessageType<Credentials>('proto.rpc.v1.Credentials', () => [
  { no: 1, name: 'type', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'payload', kind: 'scalar', T: ScalarType.STRING },
]);

export interface AuthenticateRequest extends Message<AuthenticateRequest> {
  entity: string;
  credentials?: Credentials;
}
export const AuthenticateRequest = proto3.makeMessageType<AuthenticateRequest>(
  'proto.rpc.v1.AuthenticateRequest',
  () => [
    { no: 1, name: 'entity', kind: 'scalar', T: ScalarType.STRING },
    { no: 2, name: 'credentials', kind: 'message', T: Credentials },
  ],
);

export interface AuthenticateResponse extends Message<AuthenticateResponse> {
  accessToken: string;
}
export const AuthenticateResponse = proto3.makeMessageType<AuthenticateResponse>(
  'proto.rpc.v1.AuthenticateResponse',
  () => [{ no: 1, name: 'access_token', kind: 'scalar', T: ScalarType.STRING }],
);

export interface AuthenticateToRequest extends Message<AuthenticateToRequest> {
  entity: string;
}
export const AuthenticateToRequest = proto3.makeMessageType<AuthenticateToRequest>(
  'proto.rpc.v1.AuthenticateToRequest',
  () => [{ no: 1, name: 'entity', kind: 'scalar', T: ScalarType.STRING }],
);

export interface AuthenticateToResponse extends Message<AuthenticateToResponse> {
  accessToken: string;
}
export const AuthenticateToResponse = proto3.makeMessageType<AuthenticateToResponse>(
  'proto.rpc.v1.AuthenticateToResponse',
  () => [{ no: 1, name: 'access_token', kind: 'scalar', T: ScalarType.STRING }],
);

export const AuthService = {
  typeName: 'proto.rpc.v1.AuthService',
  methods: {
    authenticate: {
      name: 'Authenticate',
      I: AuthenticateRequest,
      O: AuthenticateResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;

export const ExternalAuthService = {
  typeName: 'proto.rpc.v1.ExternalAuthService',
  methods: {
    authenticateTo: {
      name: 'AuthenticateTo',
      I: AuthenticateToRequest,
      O: AuthenticateToResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;
