import { describe, expect, it } from 'vitest';
import { BinaryFormat, binaryFormatOf, byteStringOf, bytesOf, decodeBinary, encodeBinary, hexOfBytes, notLegalBinary } from './binary-text.js';

describe('binary text', () => {
  const all = byteStringOf(Uint8Array.from({ length: 256 }, (_, i) => i));

  it('holds every byte value as one code unit and back', () => {
    expect(all.length).toBe(256);
    expect([...bytesOf(all)]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    // Code-unit order is byte order (unsigned).
    expect(byteStringOf(Uint8Array.of(0x7f)) < byteStringOf(Uint8Array.of(0x80))).toBe(true);
    expect(byteStringOf(Uint8Array.of(0x01)) < byteStringOf(Uint8Array.of(0x01, 0x00))).toBe(true);
  });

  it('encodes HEX upper case and BASE64 padded; UTF-8 only for UTF-8 bytes', () => {
    expect(hexOfBytes(byteStringOf(Uint8Array.of(0x00, 0xab, 0xff)))).toBe('00ABFF');
    expect(encodeBinary('HELP', BinaryFormat.BASE64)).toBe('SEVMUA==');
    expect(encodeBinary(byteStringOf(Buffer.from('é', 'utf8')), BinaryFormat.UTF8)).toBe('é');
    expect(encodeBinary(byteStringOf(Uint8Array.of(0xff)), BinaryFormat.UTF8)).toBeNull();
    expect(encodeBinary(all, BinaryFormat.HEX)).toBe(Buffer.from(bytesOf(all)).toString('hex').toUpperCase());
  });

  it('decodes HEX in either case (even length only), BASE64 ignoring whitespace, UTF-8 always', () => {
    expect(decodeBinary('00abFF', BinaryFormat.HEX)).toBe('\u0000\u00ab\u00ff');
    expect(decodeBinary('abc', BinaryFormat.HEX)).toBeNull();
    expect(decodeBinary('0g', BinaryFormat.HEX)).toBeNull();
    expect(decodeBinary('', BinaryFormat.HEX)).toBe('');
    expect(decodeBinary('SEVM\nUA==', BinaryFormat.BASE64)).toBe('HELP');
    expect(decodeBinary('SEVMUA', BinaryFormat.BASE64)).toBe('HELP');
    expect(decodeBinary('SEV=MUA', BinaryFormat.BASE64)).toBeNull();
    expect(decodeBinary('#', BinaryFormat.BASE64)).toBeNull();
    expect(decodeBinary('é', BinaryFormat.UTF8)).toBe('\u00c3\u00a9');
  });

  it("reads format names as Snowflake does and words the errors as Snowflake's", () => {
    expect([binaryFormatOf('hex'), binaryFormatOf('Base64'), binaryFormatOf('utf8'), binaryFormatOf('UTF-8'), binaryFormatOf('x')]).toEqual(['HEX', 'BASE64', 'UTF-8', 'UTF-8', null]);
    const e = notLegalBinary('HELP', BinaryFormat.HEX);
    expect([e.code, e.sqlState, e.message]).toEqual(['100115', '22000', "The following string is not a legal hex-encoded value: 'HELP'"]);
  });
});
