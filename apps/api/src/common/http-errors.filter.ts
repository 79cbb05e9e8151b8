import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type DomainErrorCode } from '@duban/errors';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  CONFLICT: HttpStatus.CONFLICT,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  PLAN_PARSE_ERROR: HttpStatus.UNPROCESSABLE_ENTITY,
  UNKNOWN_UNITS: HttpStatus.UNPROCESSABLE_ENTITY,
  PHASE_NOT_ALLOWED: HttpStatus.CONFLICT,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every error leaves as `{ statusCode, error, message }`; domain codes choose the status. */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { statusCode, message, code } = this.describe(exception);
    if (statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : exception);
    response.status(statusCode).json({
      statusCode,
      error: REASON[statusCode] ?? 'Error',
      message,
      ...(code ? { code } : {}),
    });
  }

  private describe(exception: unknown): {
    statusCode: number;
    message: string | string[];
    code?: string;
  } {
    if (exception instanceof DomainError) {
      return {
        statusCode: STATUS_BY_CODE[exception.code],
        message: exception.message,
        code: exception.code,
      };
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? (body as { message: string | string[] }).message
          : exception.message;
      const code =
        typeof body === 'object' &&
        body !== null &&
        typeof (body as { code?: unknown }).code === 'string'
          ? (body as { code: string }).code
          : undefined;
      return { statusCode: exception.getStatus(), message, ...(code ? { code } : {}) };
    }
    // body-parser errors (malformed JSON, too large, bad charset) carry their own status.
    if (isHttpLike(exception)) {
      return {
        statusCode: exception.status,
        message: exception.expose ? exception.message : 'Bad request body',
      };
    }
    return { statusCode: 500, message: 'Internal server error' };
  }
}

function isHttpLike(e: unknown): e is { status: number; message: string; expose?: boolean } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    (e as { status: number }).status >= 400 &&
    (e as { status: number }).status < 500
  );
}
