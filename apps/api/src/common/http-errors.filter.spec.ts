import { BadRequestException, ForbiddenException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from '@duban/errors';
import { HttpErrorsFilter } from './http-errors.filter';
import { WorkflowRejection } from './workflow-errors';

function capture(exception: unknown): { status: number; body: unknown } {
  const out = { status: 0, body: undefined as unknown };
  const response = {
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: unknown) {
      out.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new HttpErrorsFilter().catch(exception, host);
  return out;
}

describe('HttpErrorsFilter', () => {
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));

  it.each([
    ['NOT_FOUND', 404],
    ['INVALID_INPUT', 400],
    ['CONFLICT', 409],
    ['FORBIDDEN', 403],
    ['UNAUTHENTICATED', 401],
    ['PLAN_PARSE_ERROR', 422],
    ['UNKNOWN_UNITS', 422],
    ['PHASE_NOT_ALLOWED', 409],
    ['UNAVAILABLE', 503],
  ] as const)('maps the domain code %s to %i', (code, status) => {
    const { status: actual, body } = capture(new DomainError(code, 'msg'));
    expect(actual).toBe(status);
    expect(body).toMatchObject({ statusCode: status, message: 'msg', code });
    expect(typeof (body as { error: unknown }).error).toBe('string');
  });

  it('keeps validation messages and the shape of Nest exceptions', () => {
    expect(capture(new BadRequestException(['summary must be shorter']))).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: ['summary must be shorter'] },
    });
    expect(capture(new ForbiddenException('不可'))).toEqual({
      status: 403,
      body: { statusCode: 403, error: 'Forbidden', message: '不可' },
    });
  });

  it("carries a workflow rejection's code and message", () => {
    expect(capture(new WorkflowRejection('PHASE_NOT_ALLOWED', '已办结', 409))).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: '已办结', code: 'PHASE_NOT_ALLOWED' },
    });
  });

  it('passes body-parser errors through with their status and hides anything else as 500', () => {
    const malformed = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
      status: 400,
      expose: true,
    });
    expect(capture(malformed).status).toBe(400);
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
    });
    expect(capture(tooLarge)).toMatchObject({ status: 413, body: { error: 'Payload Too Large' } });
    expect(capture(new Error('secret detail'))).toEqual({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
