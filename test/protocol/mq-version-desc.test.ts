// MQVersion ordinals to Java's enum names (what mqadmin prints in its Version columns), and the
// `key=value` body of the broker config requests.

import { describe, expect, it } from 'vitest';
import { decodePropertiesText, encodePropertiesText } from '../../ts/protocol/properties-text.js';
import { MQVersion, mqVersionDesc } from '../../ts/protocol/versions.js';

describe('mqVersionDesc', () => {
  it("names the ordinals the code knows as Java's enum does", () => {
    expect(mqVersionDesc(MQVersion.V4_9_4)).toBe('V4_9_4');
    expect(mqVersionDesc(MQVersion.V5_3_3)).toBe('V5_3_3');
    expect(mqVersionDesc(MQVersion.V5_5_0)).toBe('V5_5_0');
    expect(mqVersionDesc(MQVersion.V5_5_0 - 1)).toBe('V5_5_0_SNAPSHOT');
    expect(mqVersionDesc(MQVersion.V5_5_0 + 1)).toBe('V5_5_1_SNAPSHOT');
    expect(mqVersionDesc(612)).toBe('HIGHER_VERSION');
  });

  it('names an ordinal before 4.0.0 by its number', () => {
    expect(mqVersionDesc(MQVersion.V3_1_8_SNAPSHOT)).toBe('VERSION_62');
  });
});

describe('properties text', () => {
  it('round-trips key=value lines, skipping blanks and comments, splitting at the first =', () => {
    const body = encodePropertiesText({ brokerName: 'broker-a', messageDelayLevel: '1s 5s', filter: 'a=b' });
    expect(body.toString()).toBe('brokerName=broker-a\nmessageDelayLevel=1s 5s\nfilter=a=b\n');
    const parsed = decodePropertiesText(Buffer.from(`#comment\n\n${body.toString()}`));
    expect(parsed).toEqual({ brokerName: 'broker-a', messageDelayLevel: '1s 5s', filter: 'a=b' });
  });
});
