// Specification of the SEND_BATCH_MESSAGE body: a golden two-member body as Java
// MessageDecoder.encodeMessages writes it, a round trip against an encoder written here, and typed
// errors for malformed bodies.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchDecodeError, decodeBatchMessages, type BatchMessage } from '../../ts/protocol/batch-body.js';

/** Java `MessageDecoder.encodeMessage`, concatenated (`encodeMessages`). */
function encodeBatch(members: readonly { flag: number; body: Uint8Array; properties: string }[]): Buffer {
  const parts = members.map((member) => {
    const properties = Buffer.from(member.properties, 'utf8');
    const size = 22 + member.body.length + properties.length;
    const out = Buffer.alloc(size);
    out.writeInt32BE(size, 0);
    out.writeInt32BE(0, 4); // MAGICCODE
    out.writeInt32BE(0, 8); // BODYCRC
    out.writeInt32BE(member.flag, 12);
    out.writeInt32BE(member.body.length, 16);
    out.set(member.body, 20);
    out.writeInt16BE(properties.length, 20 + member.body.length);
    properties.copy(out, 22 + member.body.length);
    return out;
  });
  return Buffer.concat(parts);
}

const golden = Buffer.from(
  [
    '0000001f 00000000 00000000 00000000 00000002 6869 0007 4b4559530131 02', // flag 0, "hi", KEYS=1
    '00000021 00000000 00000000 00000007 00000000      000b 5441475301 54616741 02 4b', // flag 7, "", TAGS=TagA + "K"
  ]
    .join('')
    .replace(/ /g, ''),
  'hex',
);

function plain(members: BatchMessage[]): { flag: number; body: number[]; properties: string }[] {
  return members.map((m) => ({ flag: m.flag, body: [...m.body], properties: m.properties }));
}

describe('send: batch body', () => {
  it('decodes the golden two-member body', () => {
    expect(plain(decodeBatchMessages(golden))).toEqual([
      { flag: 0, body: [0x68, 0x69], properties: 'KEYS\u00011\u0002' },
      { flag: 7, body: [], properties: 'TAGS\u0001TagA\u0002K' },
    ]);
  });

  it('matches the test encoder byte for byte', () => {
    const encoded = encodeBatch([
      { flag: 0, body: Buffer.from('hi'), properties: 'KEYS\u00011\u0002' },
      { flag: 7, body: new Uint8Array(0), properties: 'TAGS\u0001TagA\u0002K' },
    ]);
    expect(encoded.toString('hex')).toBe(golden.toString('hex'));
  });

  it('returns bodies as views into the request body', () => {
    const [first] = decodeBatchMessages(golden);
    expect(first?.body.buffer).toBe(golden.buffer);
  });

  it('round-trips any batch', () => {
    const member = fc.record({
      flag: fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
      body: fc.uint8Array({ maxLength: 64 }),
      properties: fc.string({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 8 }), (members) => {
        const decoded = decodeBatchMessages(encodeBatch(members));
        expect(plain(decoded)).toEqual(
          members.map((m) => ({ flag: m.flag, body: [...m.body], properties: m.properties })),
        );
      }),
    );
  });

  it('finds the member at fault when the body is cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: golden.length - 1 }).filter((cut) => cut !== 31),
        (cut) => {
          const decode = (): unknown => decodeBatchMessages(golden.subarray(0, cut));
          expect(decode).toThrow(BatchDecodeError);
          try {
            decode();
          } catch (error) {
            expect((error as BatchDecodeError).index).toBe(cut < 31 ? 0 : 1);
          }
        },
      ),
    );
  });

  it.each([
    ['an empty body', Buffer.alloc(0)],
    ['a negative body length', Buffer.from('00000016000000000000000000000000ffffffff0000', 'hex')],
    ['a negative properties length', Buffer.from('000000160000000000000000000000000000000080000000', 'hex')],
    ['a wrong total size', Buffer.from('00000017000000000000000000000000000000000000', 'hex')],
  ])('rejects %s', (_name, body) => {
    expect(() => decodeBatchMessages(body)).toThrow(BatchDecodeError);
  });
});
