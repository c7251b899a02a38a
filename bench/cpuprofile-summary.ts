// Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self and total time per function, over the
// samples taken in a time window (the measured window, not the start-up), as percentages of the
// window's samples. Depends on node:fs only.

import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly selfPercent: number;
  readonly totalPercent: number;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file =
    url === '' ? '' : ` ${url.replace(/^file:\/\/.*?\/dist\//, 'dist/').replace(/^node:/, 'node:')}:${lineNumber + 1}`;
  return `${functionName === '' ? '(anonymous)' : functionName}${file}`;
}

/** Self and total percentages per function label over the samples from `fromFraction` of the profile on (0 = all). */
export function summarizeCpuProfile(path: string, fromFraction = 0): FunctionTime[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const from = Math.floor(profile.samples.length * fromFraction);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let counted = 0;
  for (let i = from; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const leaf = byId.get(id);
    if (leaf === undefined) continue;
    counted++;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at) as ProfileNode);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + 1);
    }
  }
  const percent = (count: number): number => (100 * count) / Math.max(1, counted);
  return [...total.entries()].map(([name, count]) => ({
    name,
    selfPercent: percent(self.get(name) ?? 0),
    totalPercent: percent(count),
  }));
}
