import { hasInvalidCharacters, md5OfMessageAttributes, messageSize } from './message-md5';

describe('md5OfMessageAttributes', () => {
  it('matches the digests other SQS implementations verify against AWS', () => {
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
    expect(
      md5OfMessageAttributes({
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
  });
  it('is absent without attributes', () => {
    expect(md5OfMessageAttributes(undefined)).toBeUndefined();
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});

describe('message checks', () => {
  it('counts UTF-8 bytes of body and attributes', () => {
    expect(messageSize('é', { k: { DataType: 'String', StringValue: 'ab' } })).toBe(2 + 1 + 6 + 2);
    expect(messageSize('', { b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]).toString('base64') } })).toBe(1 + 6 + 3);
  });
  it('refuses the characters SQS refuses', () => {
    expect(hasInvalidCharacters('tab\tnewline\n emoji \u{1F600} bom \uFEFF')).toBe(false);
    expect(hasInvalidCharacters('nul\u0000')).toBe(true);
    expect(hasInvalidCharacters('lone \uD800 surrogate')).toBe(true);
    expect(hasInvalidCharacters('\uFFFE')).toBe(true);
  });
});
