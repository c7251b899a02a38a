// Specification of bench/cpuprofile-summary.ts: self and total time per function from a V8
// `.cpuprofile`, over the samples of the window asked for, as percentages of that window.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeCpuProfile } from '../../bench/cpuprofile-summary.js';

const dir = mkdtempSync(join(tmpdir(), 'cpuprofile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = (functionName: string, line = 0): { functionName: string; url: string; lineNumber: number } => ({
  functionName,
  url: functionName === '(root)' || functionName === '(idle)' ? '' : 'file:///repo/dist/remoting/frame-codec.js',
  lineNumber: line,
});

/** (root) → onData → decodeFrame → decodeExtFields; (root) → (idle). */
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('onData', 9), children: [3] },
    { id: 3, callFrame: frame('decodeFrame', 67), children: [4] },
    { id: 4, callFrame: frame('decodeExtFields', 77) },
    { id: 5, callFrame: frame('(idle)') },
  ],
  startTime: 0,
  endTime: 8,
  // First half: idle only; second half: 2 × decodeExtFields, 1 × decodeFrame, 1 × idle.
  samples: [5, 5, 5, 5, 4, 4, 3, 5],
  timeDeltas: [1, 1, 1, 1, 1, 1, 1, 1],
};

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('bench: cpuprofile summary', () => {
  it('gives self and total percentages per function, labelled with dist/ file and 1-based line', () => {
    const byName = new Map(summarizeCpuProfile(write('all.cpuprofile', profile)).map((f) => [f.name, f]));
    expect(byName.get('(idle)')).toEqual({ name: '(idle)', selfPercent: 62.5, totalPercent: 62.5 });
    expect(byName.get('decodeExtFields dist/remoting/frame-codec.js:78')).toEqual({
      name: 'decodeExtFields dist/remoting/frame-codec.js:78',
      selfPercent: 25,
      totalPercent: 25,
    });
    expect(byName.get('decodeFrame dist/remoting/frame-codec.js:68')?.totalPercent).toBe(37.5);
    expect(byName.get('onData dist/remoting/frame-codec.js:10')?.selfPercent).toBe(0);
    expect(byName.get('(root)')?.totalPercent).toBe(100);
  });

  it('counts only the samples from the given fraction of the profile on', () => {
    const byName = new Map(summarizeCpuProfile(write('window.cpuprofile', profile), 0.5).map((f) => [f.name, f]));
    expect(byName.get('(idle)')?.selfPercent).toBe(25);
    expect(byName.get('decodeExtFields dist/remoting/frame-codec.js:78')?.selfPercent).toBe(50);
    expect(byName.get('decodeFrame dist/remoting/frame-codec.js:68')?.totalPercent).toBe(75);
  });
});
