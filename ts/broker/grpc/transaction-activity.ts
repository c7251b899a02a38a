// Transactions over gRPC (Java `EndTransactionActivity`): EndTransaction finds its half by the transaction id the
// send returned; the TransactionService's check-backs for `grpc:` producers go out over their Telemetry stream as
// RecoverOrphanedTransactionCommand. Depends on the transaction service, client-activity.ts and the protos.

import { create } from '@bufbuild/protobuf';
import { TransactionResolution, TransactionSource } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  EndTransactionResponseSchema,
  RecoverOrphanedTransactionCommandSchema,
  TelemetryCommandSchema,
  type EndTransactionRequest,
  type EndTransactionResponse,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import { decodeStoredRecord } from '../../protocol/record-decoder.js';
import type { TransactionCheck, TransactionService } from '../services/transaction-service.js';
import type { ClientActivity } from './client-activity.js';
import { GRPC_CONNECTION_PREFIX } from './grpc-context.js';
import { okStatus } from './grpc-status.js';
import { validateTopicResource } from './message-validation.js';
import { decodeTransactionId, encodeTransactionId } from './transaction-id.js';
import { toGrpcMessage } from './message-converter.js';

export class TransactionActivity {
  constructor(
    private readonly transactions: TransactionService,
    private readonly clients: ClientActivity,
  ) {
    transactions.onCheck((check) => this.checkBack(check));
  }

  /** Commit or roll back the half; an unspecified resolution is ignored (the next check asks again). */
  async endTransaction(request: EndTransactionRequest): Promise<EndTransactionResponse> {
    const topic = validateTopicResource(request.topic);
    const half = decodeTransactionId(request.transactionId);
    await this.transactions.endTransaction({
      producerGroup: topic,
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      commitOrRollback: commitOrRollbackOf(request.resolution),
      fromTransactionCheck: request.source === TransactionSource.SOURCE_SERVER_CHECK,
      msgId: request.messageId,
    });
    return create(EndTransactionResponseSchema, { status: okStatus() });
  }

  /** A check-back for a gRPC producer: the half, addressed to its real topic, over Telemetry. */
  private checkBack(check: TransactionCheck): void {
    if (!check.connectionId.startsWith(GRPC_CONNECTION_PREFIX)) return;
    const stream = this.clients.streamOf(check.connectionId.slice(GRPC_CONNECTION_PREFIX.length));
    if (stream === null) return; // gone in between: the next check pass asks another producer
    const half = decodeStoredRecord(check.body);
    const command = create(RecoverOrphanedTransactionCommandSchema, {
      message: toGrpcMessage(half),
      transactionId: encodeTransactionId(check.commitLogOffset, check.tranStateTableOffset),
    });
    stream.write(
      create(TelemetryCommandSchema, {
        status: okStatus(),
        command: { case: 'recoverOrphanedTransactionCommand', value: command },
      }),
    );
  }
}

function commitOrRollbackOf(resolution: TransactionResolution): number {
  switch (resolution) {
    case TransactionResolution.COMMIT:
      return MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    case TransactionResolution.ROLLBACK:
      return MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
    case TransactionResolution.TRANSACTION_RESOLUTION_UNSPECIFIED:
      return MessageSysFlag.TRANSACTION_NOT_TYPE;
  }
}
