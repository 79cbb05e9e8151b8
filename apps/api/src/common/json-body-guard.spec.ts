import type { Request, Response } from 'express';
import { requireJsonBody } from './require-json';
import { inspectJson, MAX_JSON_DEPTH } from './json-body-guard';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('inspectJson', () => {
  it('accepts an ordinary report body', () => {
    expect(
      inspectJson({
        status: 'partial',
        summary: '完成一半',
        explanation: '雨季',
        figures: { 投资: 120 },
      }),
    ).toBeNull();
  });

  it('refuses NUL in a value or a key', () => {
    expect(inspectJson({ summary: 'a\u0000b' })).toMatch(/NUL/);
    expect(inspectJson({ figures: { 'x\u0000': 1 } })).toMatch(/NUL/);
    expect(inspectJson([['deep', ['er', 'a\u0000']]])).toMatch(/NUL/);
  });

  it('refuses bodies nested deeper than the limit, even absurdly deep ones', () => {
    expect(inspectJson(nested(MAX_JSON_DEPTH - 1))).toBeNull();
    expect(inspectJson(nested(MAX_JSON_DEPTH + 1))).toMatch(/nested more than/);
    expect(inspectJson(nested(100_000))).toMatch(/nested more than/);
  });
});

describe('requireJsonBody', () => {
  function run(method: string, contentType: string | undefined): number | 'next' {
    let status: number | 'next' = 'next';
    const req = {
      method,
      headers: { 'content-length': '10', ...(contentType ? { 'content-type': contentType } : {}) },
      is: (type: string) => (contentType ?? '').startsWith(type),
    } as unknown as Request;
    const res = {
      status(code: number) {
        status = code;
        return this;
      },
      json() {
        return this;
      },
    } as unknown as Response;
    requireJsonBody(req, res, () => undefined);
    return status;
  }

  it('accepts JSON in UTF-8 and refuses other types and charsets with 415', () => {
    expect(run('POST', 'application/json')).toBe('next');
    expect(run('POST', 'application/json; charset=utf-8')).toBe('next');
    expect(run('POST', 'application/json; charset="UTF-8"')).toBe('next');
    expect(run('POST', 'application/json; charset=utf-7')).toBe(415);
    expect(run('POST', 'text/plain')).toBe(415);
    expect(run('GET', 'text/plain')).toBe('next');
  });
});
