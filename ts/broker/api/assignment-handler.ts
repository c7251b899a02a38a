// Server-side rebalance over Remoting (Java `QueryAssignmentProcessor`, `AdminBrokerProcessor
// #getAllMessageRequestMode`): QUERY_ASSIGNMENT (400), SET_MESSAGE_REQUEST_MODE (401, `mqadmin
// setConsumeMode`), GET_ALL_MESSAGE_REQUEST_MODE (402). Bodies are decoded and encoded by
// ts/protocol/assignment.ts; a malformed body throws and the server answers SYSTEM_ERROR, as Java does.
// Depends on the assignment service and ts/remoting.

import {
  decodeQueryAssignmentBody,
  decodeSetMessageRequestModeBody,
  encodeQueryAssignmentResponse,
} from '../../protocol/assignment.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { AssignmentService } from '../services/assignment-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { BrokerRequestHandler } from './request-fields.js';

export class AssignmentHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.QUERY_ASSIGNMENT,
    RequestCode.SET_MESSAGE_REQUEST_MODE,
    RequestCode.GET_ALL_MESSAGE_REQUEST_MODE,
  ];

  constructor(private readonly assignments: AssignmentService) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.QUERY_ASSIGNMENT:
        return this.queryAssignment(request);
      case RequestCode.SET_MESSAGE_REQUEST_MODE:
        return this.setMessageRequestMode(request);
      default:
        return this.getAllMessageRequestMode(request);
    }
  }

  /** Java `queryAssignment`: always SUCCESS; `{}` when there is no valid result (the client keeps its queues). */
  private queryAssignment(request: RemotingCommand): RemotingCommand {
    const assignments = this.assignments.queryAssignment(decodeQueryAssignmentBody(request.body));
    return createResponse(request, ResponseCode.SUCCESS, null, {}, encodeQueryAssignmentResponse(assignments));
  }

  /** Java `setMessageRequestMode`: the mode is kept and persisted, or the service's refusal. */
  private setMessageRequestMode(request: RemotingCommand): RemotingCommand {
    try {
      this.assignments.setMessageRequestMode(decodeSetMessageRequestModeBody(request.body));
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS);
  }

  /** Java `getAllMessageRequestMode`: the `messageRequestModeMap` document. */
  private getAllMessageRequestMode(request: RemotingCommand): RemotingCommand {
    const body = Buffer.from(JSON.stringify(this.assignments.allMessageRequestModes()));
    return createResponse(request, ResponseCode.SUCCESS, null, {}, body);
  }
}
