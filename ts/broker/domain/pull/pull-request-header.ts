// PullMessageRequestHeader (Java `PullMessageRequestHeader`, protocol.md §2.2): the PULL_MESSAGE (11)
// and LITE_PULL_MESSAGE (361) custom header, decoded from the request's string extFields the way
// Java's `decodeCommandCustomHeader` does (a missing required field fails with "the custom field
// <name> is null"; numbers parsed from their decimal form). Depends on nothing.

/** `ExpressionType`: TAG when absent or blank (Java `ExpressionType.isTagType`). */
export const ExpressionType = { TAG: 'TAG', SQL92: 'SQL92' } as const;

/** Java `ExpressionType.isTagType`: absent, blank or `TAG`. */
export function isTagType(expressionType: string | undefined | null): boolean {
  return expressionType == null || expressionType.trim() === '' || expressionType === ExpressionType.TAG;
}

export interface PullMessageRequestHeader {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly maxMsgNums: number;
  readonly sysFlag: number;
  readonly commitOffset: number;
  /** How long the broker may hold the request (J 15000, Go 20000); only meaningful with FLAG_SUSPEND. */
  readonly suspendTimeoutMillis: number;
  /** The subscription expression (`TagA || TagB`, `*`, SQL92); absent or empty: none sent. */
  readonly subscription?: string;
  readonly subVersion: number;
  /** `TAG` when the client sent none (or an empty one). */
  readonly expressionType: string;
  readonly maxMsgBytes?: number;
  /** Java 5 `requestSource` (proxy use); kept for the handler, unused here. */
  readonly requestSource?: number;
  /** Java 5 `proxyFrowardClientId` (sic, the wire spelling). */
  readonly proxyForwardClientId?: string;
  /** `bname` (RpcRequestHeader / Go `bname`). */
  readonly brokerName?: string;
}

/** A PULL_MESSAGE header the broker cannot decode; answered as SYSTEM_ERROR at the api edge (Java: RemotingCommandException). */
export class PullHeaderError extends Error {
  override readonly name = 'PullHeaderError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type ExtFields = Readonly<Record<string, string | undefined>>;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const DECIMAL = /^[+-]?\d+$/;

/** Optional fields: an empty value counts as absent (binary-encoded headers drop empty values, pitfall 5). */
function optionalText(fields: ExtFields, name: string): string | undefined {
  const value = fields[name];
  return value === undefined || value === '' ? undefined : value;
}

function requiredText(fields: ExtFields, name: string): string {
  const value = fields[name];
  if (value === undefined) throw new PullHeaderError(name, `the custom field <${name}> is null`);
  return value;
}

/** Java `Long.parseLong`, kept within the doubles that are exact. */
function parseLong(name: string, text: string): number {
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isSafeInteger(value)) {
    throw new PullHeaderError(name, `the custom field <${name}> is not a long: ${JSON.stringify(text)}`);
  }
  return value;
}

/** Java `Integer.parseInt`. */
function parseInt32(name: string, text: string): number {
  const value = Number(text);
  if (!DECIMAL.test(text) || value < INT32_MIN || value > INT32_MAX) {
    throw new PullHeaderError(name, `the custom field <${name}> is not an int: ${JSON.stringify(text)}`);
  }
  return value;
}

const requiredInt = (f: ExtFields, name: string): number => parseInt32(name, requiredText(f, name));
const requiredLong = (f: ExtFields, name: string): number => parseLong(name, requiredText(f, name));

function optionalInt(fields: ExtFields, name: string): number | undefined {
  const text = optionalText(fields, name);
  return text === undefined ? undefined : parseInt32(name, text);
}

/** Decodes PULL_MESSAGE extFields; throws PullHeaderError on a missing required or malformed field. */
export function decodePullMessageRequestHeader(extFields: ExtFields): PullMessageRequestHeader {
  const expressionType = optionalText(extFields, 'expressionType')?.trim();
  const header: PullMessageRequestHeader = {
    consumerGroup: requiredText(extFields, 'consumerGroup'),
    topic: requiredText(extFields, 'topic'),
    queueId: requiredInt(extFields, 'queueId'),
    queueOffset: requiredLong(extFields, 'queueOffset'),
    maxMsgNums: requiredInt(extFields, 'maxMsgNums'),
    sysFlag: requiredInt(extFields, 'sysFlag'),
    commitOffset: requiredLong(extFields, 'commitOffset'),
    suspendTimeoutMillis: requiredLong(extFields, 'suspendTimeoutMillis'),
    subVersion: requiredLong(extFields, 'subVersion'),
    expressionType: expressionType === undefined || expressionType === '' ? ExpressionType.TAG : expressionType,
  };
  const subscription = optionalText(extFields, 'subscription');
  const maxMsgBytes = optionalInt(extFields, 'maxMsgBytes');
  const requestSource = optionalInt(extFields, 'requestSource');
  const proxyForwardClientId = optionalText(extFields, 'proxyFrowardClientId');
  const brokerName = optionalText(extFields, 'bname');
  return {
    ...header,
    ...(subscription !== undefined && { subscription }),
    ...(maxMsgBytes !== undefined && { maxMsgBytes }),
    ...(requestSource !== undefined && { requestSource }),
    ...(proxyForwardClientId !== undefined && { proxyForwardClientId }),
    ...(brokerName !== undefined && { brokerName }),
  };
}

/** The header as extFields (Java `makeCustomHeaderToNet`: absent fields are left out). For clients and tests. */
export function encodePullMessageRequestHeader(header: PullMessageRequestHeader): Record<string, string> {
  const fields: Record<string, string> = {
    consumerGroup: header.consumerGroup,
    topic: header.topic,
    queueId: String(header.queueId),
    queueOffset: String(header.queueOffset),
    maxMsgNums: String(header.maxMsgNums),
    sysFlag: String(header.sysFlag),
    commitOffset: String(header.commitOffset),
    suspendTimeoutMillis: String(header.suspendTimeoutMillis),
    subVersion: String(header.subVersion),
    expressionType: header.expressionType,
  };
  if (header.subscription !== undefined) fields['subscription'] = header.subscription;
  if (header.maxMsgBytes !== undefined) fields['maxMsgBytes'] = String(header.maxMsgBytes);
  if (header.requestSource !== undefined) fields['requestSource'] = String(header.requestSource);
  if (header.proxyForwardClientId !== undefined) fields['proxyFrowardClientId'] = header.proxyForwardClientId;
  if (header.brokerName !== undefined) fields['bname'] = header.brokerName;
  return fields;
}
