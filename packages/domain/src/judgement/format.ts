// Numbers as a person reads them in a gate's one-sentence summary.

const PERCENT_METRICS = new Set(['error_rate', 'availability']);

function trim(n: number, digits: number): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(digits)).toString();
  return fixed;
}

/** A metric value in its unit: rates as percents, *_ms as milliseconds, anything else as a plain number. */
export function formatValue(metric: string, value: number | null): string {
  if (value === null) return 'n/a';
  if (PERCENT_METRICS.has(metric) || metric.endsWith('_rate') || metric === 'share') return `${trim(value * 100, 3)}%`;
  if (metric.endsWith('_ms')) return `${trim(value, 3)} ms`;
  return trim(value, 4);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${trim(seconds / 60, 3)} min`;
  return `${trim(seconds / 3600, 3)} h`;
}

/** Metric names as words: error_rate → "error rate", latency_p95_ms → "P95 latency". */
export function metricLabel(metric: string): string {
  const percentile = /^latency_p(\d{2})_ms$/.exec(metric);
  if (percentile) return `P${percentile[1]} latency`;
  return metric.replace(/_/g, ' ');
}

/** 12345 → "12,345" (toLocaleString is slow, and this runs in every judgement). */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.round(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}
