// Reading a request's custom header as Java's decoder does: a missing required field fails the
// request ("the custom field <name> is null", answered as SYSTEM_ERROR at the server edge), numbers
// and booleans are parsed from their string form. Depends on ts/remoting.

import type { RemotingCommand } from '../../remoting/remoting-command.js';

/** A required header field, as a string. */
export function requiredField(request: RemotingCommand, name: string): string {
  const value = request.extFields[name];
  if (value === undefined) throw new Error(`the custom field <${name}> is null`);
  return value;
}

export function optionalField(request: RemotingCommand, name: string): string | undefined {
  return request.extFields[name];
}

export function requiredInt(request: RemotingCommand, name: string): number {
  const text = requiredField(request, name);
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`the custom field <${name}> is not an integer: ${text}`);
  return value;
}

export function optionalInt(request: RemotingCommand, name: string): number | undefined {
  const text = optionalField(request, name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) ? value : undefined;
}

export function optionalBoolean(request: RemotingCommand, name: string): boolean | undefined {
  const text = optionalField(request, name);
  return text === undefined ? undefined : text === 'true';
}

/** A handler the server registers for its codes (one file per request family). */
export interface RequestConnection {
  readonly remoteAddress: string;
}

export interface RegistryRequestHandler {
  readonly codes: readonly number[];
  handle(request: RemotingCommand, connection: RequestConnection): RemotingCommand | null;
}
