import * as iconv from 'iconv-lite';
import { PlanParseError } from './errors';

const EXPECTED = 'expected a plan notice saved as UTF-8 or GB18030';

/**
 * Turns the uploaded bytes into text. Only UTF-8 (with or without BOM) and GB18030 are accepted:
 * anything else is refused here, so no later step ever sees mojibake and imports half a plan.
 */
export function decodePlanText(input: Buffer | string): string {
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeBytes(input);
  if (text.trim() === '') {
    throw new PlanParseError(`the document is empty: ${EXPECTED}`);
  }
  assertNoControlCharacters(text);
  return text.replace(/\r\n?/g, '\n');
}

function decodeBytes(bytes: Buffer): string {
  if (bytes.length === 0) {
    throw new PlanParseError(`the document is empty: ${EXPECTED}`);
  }
  if (looksLikeUtf16(bytes)) {
    throw new PlanParseError(`the document is UTF-16, which is not supported: ${EXPECTED}`);
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const utf8 = decodeStrictUtf8(hasBom ? bytes.subarray(3) : bytes);
  if (utf8 !== null) return utf8;
  if (hasBom) {
    throw new PlanParseError(
      `the document starts with a UTF-8 BOM but is not valid UTF-8: ${EXPECTED}`,
    );
  }
  // iconv-lite never throws on bad input; it substitutes U+FFFD, which is how garbage shows.
  const gb18030 = iconv.decode(bytes, 'gb18030');
  if (gb18030.includes('\uFFFD')) {
    throw new PlanParseError(`the document is neither UTF-8 nor GB18030 text: ${EXPECTED}`);
  }
  return gb18030;
}

function decodeStrictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A UTF-16 BOM, or the NUL bytes that ASCII characters (tabs, newlines, digits) leave in UTF-16. */
function looksLikeUtf16(bytes: Buffer): boolean {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    return true;
  }
  const sample = bytes.subarray(0, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenNuls++;
      else oddNuls++;
    }
  }
  const pairs = Math.floor(sample.length / 2);
  const most = Math.max(evenNuls, oddNuls);
  // ASCII in UTF-16 puts NULs on one side (a few CJK code points add some on the other);
  // random binary spreads its rare NULs evenly.
  return pairs > 0 && most >= pairs / 20 && Math.min(evenNuls, oddNuls) <= most / 4;
}

function assertNoControlCharacters(text: string): void {
  // eslint-disable-next-line no-control-regex
  const found = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text);
  if (found) {
    const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new PlanParseError(
      `the document is not text (it holds the control character U+${code}): ${EXPECTED}`,
    );
  }
}
