// Scrapes a /metrics endpoint and reads its samples, parsed by parse-prometheus-text-format (a parser
// that is not ours, so the exposition format is checked too). Depends on parse-prometheus-text-format.

import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';

export async function scrape(url: string): Promise<PrometheusFamily[]> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return parsePrometheusTextFormat(await response.text());
}

/** The value of `name`'s one sample whose labels include `labels`; undefined when there is none. */
export function sampleValue(
  families: readonly PrometheusFamily[],
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const family = families.find((f) => f.name === name);
  const matching = (family?.metrics ?? []).filter((sample) =>
    Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
  );
  if (matching.length > 1) throw new Error(`${name}: ${matching.length} samples match ${JSON.stringify(labels)}`);
  const value = matching[0]?.value ?? matching[0]?.count;
  return value === undefined ? undefined : Number(value);
}
