// PullMessageRequestHeader (Java `PullMessageRequestHeader`): the PULL_MESSAGE (11) and
// LITE_PULL_MESSAGE (361) custom header. The client encodes it; the broker decodes it from the
// request's string extFields the way Java's `decodeCommandCustomHeader` does (a missing required
// field fails with "the custom field <name> is null"; numbers parsed strictly). Depends on header-fields.ts.

import {
  type HeaderFields,
  type HeaderSource,
  nonEmptyField,
  optionalInt,
  requiredField,
  requiredInt,
  requiredLong,
} from './header-fields.js';

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

/** Decodes PULL_MESSAGE extFields; throws HeaderFieldError on a missing required or malformed field. */
export function decodePullMessageRequestHeader(extFields: HeaderFields): PullMessageRequestHeader {
  const source: HeaderSource = { extFields };
  const expressionType = nonEmptyField(source, 'expressionType')?.trim();
  const header: PullMessageRequestHeader = {
    consumerGroup: requiredField(source, 'consumerGroup'),
    topic: requiredField(source, 'topic'),
    queueId: requiredInt(source, 'queueId'),
    queueOffset: requiredLong(source, 'queueOffset'),
    maxMsgNums: requiredInt(source, 'maxMsgNums'),
    sysFlag: requiredInt(source, 'sysFlag'),
    commitOffset: requiredLong(source, 'commitOffset'),
    suspendTimeoutMillis: requiredLong(source, 'suspendTimeoutMillis'),
    subVersion: requiredLong(source, 'subVersion'),
    expressionType: expressionType === undefined || expressionType === '' ? ExpressionType.TAG : expressionType,
  };
  const subscription = nonEmptyField(source, 'subscription');
  const maxMsgBytes = optionalInt(source, 'maxMsgBytes');
  const requestSource = optionalInt(source, 'requestSource');
  const proxyForwardClientId = nonEmptyField(source, 'proxyFrowardClientId');
  const brokerName = nonEmptyField(source, 'bname');
  return {
    ...header,
    ...(subscription !== undefined && { subscription }),
    ...(maxMsgBytes !== undefined && { maxMsgBytes }),
    ...(requestSource !== undefined && { requestSource }),
    ...(proxyForwardClientId !== undefined && { proxyForwardClientId }),
    ...(brokerName !== undefined && { brokerName }),
  };
}

/** The header as extFields (Java `makeCustomHeaderToNet`: absent fields are left out): the client's side. */
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
