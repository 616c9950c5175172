/** Helpers for tests against a running simulated cloud (real sockets, the SDK's own clients). */
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { createViamClient, type ViamClient } from '@viamrobotics/sdk';
import { SignalingService } from '../../sim/proto/rpc-signaling.ts';
import { AuthService } from '../../sim/proto/rpc-auth.ts';

export function userClient(url: string, token: string): Promise<ViamClient> {
  return createViamClient({ serviceHost: url, credentials: { type: 'access-token', payload: token } });
}

export function keyClient(url: string, id: string, key: string): Promise<ViamClient> {
  return createViamClient({
    serviceHost: url,
    credentials: { type: 'api-key', authEntity: id, payload: key },
  });
}

/** The gRPC code a promise fails with, or 'ok'. */
export async function codeOf(p: Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

export function grpcWeb(url: string) {
  return createGrpcWebTransport({ baseUrl: url, httpVersion: '1.1' });
}

export function signaling(url: string) {
  return createClient(SignalingService, grpcWeb(url));
}

/** A bearer for an API key, as the SDK gets one (Authenticate at the signaling address). */
export async function keyBearer(url: string, id: string, key: string): Promise<string> {
  const res = await createClient(AuthService, grpcWeb(url)).authenticate({
    entity: id,
    credentials: { type: 'api-key', payload: key },
  });
  return res.accessToken;
}

export function headers(token: string, host?: string): { headers: Record<string, string> } {
  return {
    headers: { authorization: `Bearer ${token}`, ...(host !== undefined ? { 'rpc-host': host } : {}) },
  };
}

export async function control<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /__sim/${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
