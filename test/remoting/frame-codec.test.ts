// Specification of the Remoting wire format: golden frames from Java, Go and rocketmq-rust decode
// to exactly their fields and re-encode byte for byte; header codecs round-trip (fast-check).
// Covers ts/remoting/{frame-codec,json-header-codec,binary-header-codec}.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinaryHeader, encodeBinaryHeader } from '../../ts/remoting/binary-header-codec.js';
import { LanguageCode, type LanguageName } from '../../ts/remoting/codes.js';
import { decodeFrame, encodeFrame } from '../../ts/remoting/frame-codec.js';
import { decodeJsonHeader, encodeJsonHeader, type RemotingHeader } from '../../ts/remoting/json-header-codec.js';
import type { RemotingCommand } from '../../ts/remoting/remoting-command.js';
import { isRemotingError } from '../../ts/remoting/remoting-error.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** A JSON frame as a sender writes it: length, type 0, header length, header text, body. */
function jsonFrame(headerText: string, body = Buffer.alloc(0)): Buffer {
  const header = Buffer.from(headerText, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeInt32BE(4 + header.length + body.length, 0);
  prefix.writeUInt32BE(header.length, 4);
  return Buffer.concat([prefix, header, body]);
}

describe('frame codec: golden frames', () => {
  // rocketmq-rust rocketmq-protocol/tests/fixtures/remoting_command_rocketmq_v1.hex (docs/remoting-protocol.md §1.3)
  const goldenBinary = hex(`00000041 01000039 0069 00 0141 01020304 00000001 00000006 676f6c64656e
    0000001e 0005 616c706861 00000005 6669727374 0004 7a657461 00000004 6c617374 626f6479`);

  it('decodes the binary golden vector to exactly its fields', () => {
    expect(decodeFrame(goldenBinary)).toEqual({
      code: 105,
      language: 'JAVA',
      version: 321,
      opaque: 0x01020304,
      flag: 1,
      remark: 'golden',
      extFields: { alpha: 'first', zeta: 'last' },
      body: Buffer.from('body'),
      serializeType: 'ROCKETMQ',
    });
  });

  it('re-encodes the binary golden vector byte for byte', () => {
    expect(encodeFrame(decodeFrame(goldenBinary)).equals(goldenBinary)).toBe(true);
  });

  // docs/remoting-protocol.md §1.2: a real pull response from the Java broker.
  const javaPullResponse =
    '{"code":19,"extFields":{"suggestWhichBrokerId":"0","nextBeginOffset":"0","maxOffset":"0","minOffset":"0"},' +
    '"flag":1,"language":"JAVA","opaque":2851,"remark":"NO_MESSAGE_IN_QUEUE","serializeTypeCurrentRPC":"JSON",' +
    '"version":252}';

  it('decodes a JSON pull response as the Java broker sends it', () => {
    expect(decodeFrame(jsonFrame(javaPullResponse))).toEqual({
      code: 19,
      language: 'JAVA',
      version: 252,
      opaque: 2851,
      flag: 1,
      remark: 'NO_MESSAGE_IN_QUEUE',
      extFields: { suggestWhichBrokerId: '0', nextBeginOffset: '0', maxOffset: '0', minOffset: '0' },
      body: null,
      serializeType: 'JSON',
    });
  });

  it('encodes a JSON header exactly as Java (fastjson key order) does', () => {
    const frame = jsonFrame(javaPullResponse);
    expect(encodeFrame(decodeFrame(frame)).equals(frame)).toBe(true);
  });

  it('decodes a Go request: language GO, empty remark, no serializeTypeCurrentRPC', () => {
    const goRequest =
      '{"code":105,"language":"GO","version":317,"opaque":7,"flag":0,"remark":"","extFields":{"topic":"TopicTest"}}';
    const command = decodeFrame(jsonFrame(goRequest, Buffer.from('payload')));
    expect(command).toMatchObject({ code: 105, language: 'GO', version: 317, opaque: 7, flag: 0, remark: '' });
    expect(command.extFields).toEqual({ topic: 'TopicTest' });
    expect(command.body?.toString()).toBe('payload');
  });

  it('coerces numbers and booleans in extFields to strings and drops nulls', () => {
    const header = decodeJsonHeader(
      Buffer.from('{"code":10,"extFields":{"queueId":3,"unitMode":false,"bname":null,"__proto__":"x"}}'),
    );
    expect(header.extFields).toEqual(
      Object.fromEntries([
        ['queueId', '3'],
        ['unitMode', 'false'],
        ['__proto__', 'x'],
      ]),
    );
    expect(Object.getPrototypeOf(header.extFields)).toBe(Object.prototype);
  });

  it('maps unknown language codes and names to OTHER (docs/remoting-protocol.md §6 pitfall 4)', () => {
    const binary = Buffer.from(goldenBinary.subarray(8, 8 + 57));
    binary.writeUInt8(99, 2);
    expect(decodeBinaryHeader(binary).language).toBe('OTHER');
    expect(decodeJsonHeader(Buffer.from('{"code":1,"language":"COBOL"}')).language).toBe('OTHER');
    expect(decodeJsonHeader(Buffer.from('{"code":1,"language":"NODE_JS"}')).language).toBe('NODE_JS');
  });

  it('omits a null remark and empty extFields like Java, and always answers serializeTypeCurrentRPC JSON', () => {
    const header: RemotingHeader = {
      code: 0,
      language: 'JAVA',
      version: 479,
      opaque: -5,
      flag: 1,
      remark: null,
      extFields: {},
    };
    expect(encodeJsonHeader(header).toString()).toBe(
      '{"code":0,"flag":1,"language":"JAVA","opaque":-5,"serializeTypeCurrentRPC":"JSON","version":479}',
    );
  });

  it('empty binary strings are absent: null remark, no empty values (docs/remoting-protocol.md §6 pitfall 5)', () => {
    const header = decodeBinaryHeader(
      encodeBinaryHeader({
        code: 1,
        language: 'JAVA',
        version: 1,
        opaque: 1,
        flag: 0,
        remark: '',
        extFields: { a: '', b: 'x' },
      }),
    );
    expect(header.remark).toBeNull();
    expect(header.extFields).toEqual({ b: 'x' });
  });

  it('refuses a code above int16 in a binary header (docs/remoting-protocol.md §6 pitfall 2, POP codes)', () => {
    const pop: RemotingHeader = {
      code: 200050,
      language: 'JAVA',
      version: 479,
      opaque: 1,
      flag: 0,
      remark: null,
      extFields: {},
    };
    expect(() => encodeBinaryHeader(pop)).toThrow(expect.objectContaining({ code: 'ERR_FIELD_OUT_OF_RANGE' }));
    expect(decodeJsonHeader(encodeJsonHeader(pop)).code).toBe(200050);
  });

  it('reports bad frames and headers as typed errors', () => {
    const cases: Array<[Buffer, string]> = [
      [jsonFrame('not json'), 'ERR_BAD_HEADER'],
      [jsonFrame('{"flag":1}'), 'ERR_BAD_HEADER'],
      [jsonFrame('[1]'), 'ERR_BAD_HEADER'],
      [Buffer.from([0, 0, 0, 4, 7, 0, 0, 0]), 'ERR_BAD_FRAME'],
      [Buffer.from([0, 0, 0, 4, 0, 0, 0, 9]), 'ERR_BAD_FRAME'],
      [Buffer.from([0, 0, 0, 9, 0, 0, 0, 0]), 'ERR_BAD_FRAME'],
      [Buffer.from([0, 0, 0, 5, 1, 0, 0, 1, 0]), 'ERR_BAD_HEADER'],
    ];
    for (const [frame, code] of cases) {
      let caught: unknown;
      try {
        decodeFrame(frame);
      } catch (error) {
        caught = error;
      }
      expect(isRemotingError(caught), frame.toString('hex')).toBe(true);
      expect((caught as { code: string }).code, frame.toString('hex')).toBe(code);
    }
  });
});

const languageArb = fc.constantFrom(...(Object.keys(LanguageCode) as LanguageName[]));
const int32Arb = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const int16Arb = fc.integer({ min: -0x8000, max: 0x7fff });
const bodyArb = fc.option(
  fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
  { nil: null },
);

function commandArb(serializeType: 'JSON' | 'ROCKETMQ'): fc.Arbitrary<RemotingCommand> {
  const binary = serializeType === 'ROCKETMQ';
  // Binary headers carry no empty strings: they decode as absent (Java 5.x).
  const text = binary ? fc.string({ minLength: 1, unit: 'grapheme' }) : fc.string({ unit: 'grapheme' });
  return fc.record({
    code: binary ? int16Arb : int32Arb,
    language: languageArb,
    version: binary ? int16Arb : int32Arb,
    opaque: int32Arb,
    flag: int32Arb,
    remark: fc.option(text, { nil: null }),
    extFields: fc.dictionary(text, text, { maxKeys: 8 }),
    body: bodyArb,
    serializeType: fc.constant(serializeType),
  });
}

describe('frame codec: properties', () => {
  it('decode(encode(command)) is the identity for JSON headers', () => {
    fc.assert(
      fc.property(commandArb('JSON'), (command) => {
        expect(decodeFrame(encodeFrame(command))).toEqual(command);
      }),
    );
  });

  it('decode(encode(command)) is the identity for binary headers', () => {
    fc.assert(
      fc.property(commandArb('ROCKETMQ'), (command) => {
        expect(decodeFrame(encodeFrame(command))).toEqual(command);
      }),
    );
  });

  it('writes the JSON header text exactly as JSON.stringify of the fastjson-ordered object would', () => {
    const anyText = fc.string({ unit: 'binary' }); // lone surrogates, control chars, quotes included
    fc.assert(
      fc.property(
        commandArb('JSON'),
        fc.dictionary(anyText, anyText, { maxKeys: 4 }),
        fc.option(anyText, { nil: null }),
        (command, extFields, remark) => {
          const header = { ...command, extFields, remark };
          const expected: Record<string, unknown> = { code: header.code };
          if (Object.keys(extFields).length > 0) expected.extFields = extFields;
          Object.assign(expected, { flag: header.flag, language: header.language, opaque: header.opaque });
          if (remark !== null) expected.remark = remark;
          Object.assign(expected, { serializeTypeCurrentRPC: 'JSON', version: header.version });
          expect(encodeJsonHeader(header).toString('utf8')).toBe(JSON.stringify(expected));
          // The frame writes plain-ASCII headers as bytes and the rest as text: both must give these bytes.
          const frame = encodeFrame({ ...header, body: null });
          expect(frame.subarray(8)).toEqual(Buffer.from(JSON.stringify(expected), 'utf8'));
          expect(frame.readUIntBE(5, 3)).toBe(frame.length - 8);
        },
      ),
    );
  });

  it('writes plain-ASCII reply headers as bytes identical to JSON.stringify', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'abcXYZ019 _-.:,{}[]%@~!'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(
        commandArb('JSON'),
        fc.dictionary(plain, plain, { maxKeys: 8 }),
        fc.option(plain, { nil: null }),
        (command, extFields, remark) => {
          const header = { ...command, extFields, remark, body: null };
          const text = encodeJsonHeader(header).toString('utf8');
          expect(encodeFrame(header).subarray(8).toString('latin1')).toBe(text);
        },
      ),
    );
  });

  it('decoding arbitrary bytes either succeeds or throws a RemotingError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, asJson) => {
        const header = Buffer.from(bytes);
        for (const decode of [decodeFrame, asJson ? decodeJsonHeader : decodeBinaryHeader]) {
          try {
            decode(header);
          } catch (error) {
            expect(isRemotingError(error)).toBe(true);
          }
        }
      }),
    );
  });
});
