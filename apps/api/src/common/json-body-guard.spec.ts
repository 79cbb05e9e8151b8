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
