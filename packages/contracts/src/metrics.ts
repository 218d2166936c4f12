// Metric points as pipelines push them, and the series the dashboard reads.
import { z } from 'zod';
import { ZIsoDate } from './common.js';
import { ZCohort } from './enums.js';

export const MAX_POINTS_PER_REQUEST = 10_000;
export const MAX_HISTOGRAM_BUCKETS = 64;

/** ISO 8601 with a zone, or epoch milliseconds; always a number of milliseconds once parsed. */
export const ZTimestamp = z.union([
  z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, or epoch milliseconds' }).transform((s) => Date.parse(s)),
  z.number().int('must be whole milliseconds').min(0).max(8.64e15),
]);

export const ZMetricName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, like orders_created');

const NON_NEGATIVE_METRICS = new Set(['requests', 'errors', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms']);

export const ZScalarPoint = z
  .object({
    ts: ZTimestamp,
    cohort: ZCohort,
    metric: ZMetricName,
    value: z.number().refine(Number.isFinite, 'must be a finite number'),
  })
  .strict()
  .superRefine((point, ctx) => {
    if (point.metric === 'health_ok' && point.value !== 0 && point.value !== 1) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'health_ok is 1 (passing) or 0 (failing)' });
    }
    if (NON_NEGATIVE_METRICS.has(point.metric) && point.value < 0) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${point.metric} cannot be negative` });
    }
    if (point.metric === 'error_rate') {
      ctx.addIssue({ code: 'custom', path: ['metric'], message: 'error_rate is derived from errors and requests; send those' });
    }
  });

export const ZHistogramBucket = z.object({
  le: z.union([z.number().min(0), z.literal('+Inf')]),
  count: z.number().min(0).refine(Number.isFinite, 'must be a finite number'),
});

/** One window's latency histogram, Prometheus style: cumulative counts per upper bound, ending at +Inf. */
export const ZHistogramPoint = z
  .object({
    ts: ZTimestamp,
    cohort: ZCohort,
    metric: ZMetricName.describe('e.g. latency_ms'),
    buckets: z.array(ZHistogramBucket).min(2).max(MAX_HISTOGRAM_BUCKETS),
  })
  .strict()
  .superRefine((point, ctx) => {
    const { buckets } = point;
    if (buckets.at(-1)?.le !== '+Inf') {
      ctx.addIssue({ code: 'custom', path: ['buckets', buckets.length - 1, 'le'], message: 'the last bucket is le "+Inf"' });
    }
    buckets.forEach((bucket, i) => {
      const previous = buckets[i - 1];
      if (!previous) return;
      if (bucket.le !== '+Inf' && (previous.le === '+Inf' || bucket.le <= previous.le)) {
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'le'], message: 'bounds must increase' });
      }
      if (bucket.count < previous.count) {
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'count'], message: 'counts are cumulative and never decrease' });
      }
    });
  });

export const ZMetricPointInput = z.union([ZScalarPoint, ZHistogramPoint]);
export type TMetricPointInput = z.infer<typeof ZMetricPointInput>;
export type TScalarPoint = z.infer<typeof ZScalarPoint>;
export type THistogramPoint = z.infer<typeof ZHistogramPoint>;

export const ZMetricBatch = z.object({
  points: z.array(ZMetricPointInput).min(1).max(MAX_POINTS_PER_REQUEST),
});

export const ZMetricsAccepted = z.object({
  accepted: z.number().int().describe('Points in the request; a point sent before is stored once'),
  stored: z.number().int().describe('Points that were new: rows written by this request'),
  duplicates: z.number().int().describe('Points already stored, or repeated within the request, with the same value: not written again'),
});

export const MAX_SERIES_POINTS = 1500;

/**
 * In a query string epoch milliseconds arrive as text. A fraction of a millisecond (a browser's clock
 * estimate) is accepted and floored: being strict about it only blanked charts.
 */
const ZQueryTimestamp = z.union([
  z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, or epoch milliseconds' }).transform((s) => Date.parse(s)),
  z
    .string()
    .regex(/^\d{1,16}(\.\d{1,6})?$/, 'must be an ISO 8601 date-time or epoch milliseconds')
    .transform((s) => Math.floor(Number(s)))
    // The latest instant a Date holds (year 275760); past it every date sum is NaN.
    .refine((ms) => ms <= 8.64e15, 'must be at most 8640000000000000 (epoch milliseconds)'),
]);

export const ZSeriesQuery = z.object({
  metric: ZMetricName.describe('A metric name, or error_rate'),
  from: ZQueryTimestamp.optional().describe('Default: the release start, or an hour ago'),
  to: ZQueryTimestamp.optional().describe('Default: now'),
  step: z.coerce.number().int().min(1).max(86_400).optional().describe('Seconds per point; at least 10, and raised so no series exceeds 1500 points'),
});

export const ZSeriesPoint = z.object({ t: z.number().describe('Epoch ms, start of the step'), v: z.number().nullable() });
export const ZSeries = z.object({
  metric: z.string(),
  from: ZIsoDate,
  to: ZIsoDate,
  stepSeconds: z.number().int(),
  canary: z.array(ZSeriesPoint),
  baseline: z.array(ZSeriesPoint),
}).meta({ id: 'Series' });
export type TSeries = z.infer<typeof ZSeries>;
