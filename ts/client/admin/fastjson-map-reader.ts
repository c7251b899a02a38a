// A reader for fastjson's object-keyed maps (docs/remoting-protocol.md §6 pitfall 10): Java serializes
// `Map<MessageQueue, OffsetWrapper>` with the key object written in place of a string key,
// `{{"brokerName":"b","queueId":0,"topic":"T"}:{...}}`, and integer keys unquoted. This parses that
// dialect and standard JSON; a non-string key comes back as its compact JSON text, which
// `JSON.parse` turns back into the key. Depends on nothing.

export class FastJsonSyntaxError extends Error {
  override readonly name = 'FastJsonSyntaxError';
}

class Reader {
  private index = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.value();
    this.skipWhitespace();
    if (this.index !== this.text.length) this.fail('trailing characters');
    return value;
  }

  private value(): unknown {
    this.skipWhitespace();
    const ch = this.text[this.index];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    return this.literal();
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.index += 1;
    this.skipWhitespace();
    if (this.text[this.index] === '}') {
      this.index += 1;
      return result;
    }
    for (;;) {
      const key = this.value();
      this.skipWhitespace();
      this.expect(':');
      result[typeof key === 'string' ? key : JSON.stringify(key)] = this.value();
      this.skipWhitespace();
      if (this.text[this.index] === ',') {
        this.index += 1;
        continue;
      }
      this.expect('}');
      return result;
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.index += 1;
    this.skipWhitespace();
    if (this.text[this.index] === ']') {
      this.index += 1;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipWhitespace();
      if (this.text[this.index] === ',') {
        this.index += 1;
        continue;
      }
      this.expect(']');
      return result;
    }
  }

  private string(): string {
    const start = this.index;
    this.index += 1;
    while (this.index < this.text.length && this.text[this.index] !== '"') {
      this.index += this.text[this.index] === '\\' ? 2 : 1;
    }
    this.expect('"');
    return JSON.parse(this.text.slice(start, this.index)) as string;
  }

  private literal(): unknown {
    const match = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.index, this.index + 64),
    );
    if (match === null) this.fail('unexpected token');
    const token = match[0];
    this.index += token.length;
    return JSON.parse(token) as unknown;
  }

  private skipWhitespace(): void {
    while (this.index < this.text.length && /\s/.test(this.text.charAt(this.index))) this.index += 1;
  }

  private expect(ch: string): void {
    if (this.text[this.index] !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.index += 1;
  }

  private fail(reason: string): never {
    throw new FastJsonSyntaxError(`${reason} at position ${this.index}`);
  }
}

/** Parses fastjson text, object keys included. */
export function parseFastJsonWithObjectKeys(text: string): unknown {
  return new Reader(text).parseDocument();
}
