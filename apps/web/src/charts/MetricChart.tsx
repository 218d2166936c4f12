import { memo, useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useSeries } from '../hooks/useSeries';
import { formatClock, metricLabel } from '../lib/format';
import { breachRuns, toRows, type Threshold } from './chartData';

export interface Mark {
  t: number;
  label: string;
}

function unitOf(metric: string): string {
  if (metric === 'error_rate') return '%';
  if (metric === 'requests') return 'req/s';
  if (metric.endsWith('_ms')) return 'ms';
  return '';
}

const tickTime = (t: number) => formatClock(t);
const tooltipTime = (t: unknown) => formatClock(Number(t), true);

/** Canary against baseline for one metric, with gate thresholds, breaches and release marks. */
export const MetricChart = memo(function MetricChart({
  releaseId,
  metric,
  windowMs,
  now,
  thresholds,
  marks,
}: {
  releaseId: string;
  metric: string;
  windowMs: number;
  now: number;
  thresholds: Threshold[];
  marks: Mark[];
}) {
  const series = useSeries(releaseId, metric, windowMs);
  const unit = unitOf(metric);
  const rows = useMemo(
    () => (series.data ? toRows(series.data.canary, series.data.baseline, metric, series.data.stepMs / 1000) : []),
    [series.data, metric],
  );
  const breaches = useMemo(() => breachRuns(rows, thresholds), [rows, thresholds]);
  const title = metricLabel(metric);
  const from = now - windowMs;
  const hasData = rows.some((r) => r.canary !== null || r.baseline !== null);

  return (
    <figure className="chart" aria-labelledby={`chart-${metric}`} data-testid={`chart-${metric}`}>
      <figcaption id={`chart-${metric}`} className="chart-title">
        <strong>{title}</strong>
        {unit ? <span className="muted small"> ({unit})</span> : null}
        {breaches.length ? (
          <span className="pill pill-bad small">
            <span aria-hidden="true">✕ </span>
            {breaches.length} breach{breaches.length > 1 ? 'es' : ''} in window
          </span>
        ) : null}
      </figcaption>
      {series.isPending ? (
        <div className="chart-empty" role="status">
          Loading…
        </div>
      ) : !hasData ? (
        <div className="chart-empty" data-testid="no-data">
          <span aria-hidden="true">∅ </span>No data yet for {title.toLowerCase()} in this window.
        </div>
      ) : (
        <div className="chart-frame">
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--grid)" vertical={false} />
              <XAxis dataKey="t" type="number" scale="time" domain={[from, now]} tickFormatter={tickTime} minTickGap={40} fontSize={11} />
              <YAxis width={56} fontSize={11} tickFormatter={(v: number) => `${Math.round(v * 100) / 100}`} />
              <Tooltip labelFormatter={tooltipTime} isAnimationActive={false} />
              <Legend verticalAlign="top" height={24} iconType="plainline" />
              {breaches.map((b) => (
                <ReferenceArea key={`${b.label}-${b.x1}`} x1={b.x1} x2={b.x2} fill="var(--bad-bg)" fillOpacity={0.6} ifOverflow="hidden" />
              ))}
              {marks
                .filter((m) => m.t >= from)
                .map((m) => (
                  <ReferenceLine
                    key={`${m.label}-${m.t}`}
                    x={m.t}
                    stroke="var(--mark)"
                    strokeDasharray="2 3"
                    label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: 'var(--muted)' }}
                  />
                ))}
              {thresholds.map((th) => (
                <ReferenceLine
                  key={th.label}
                  y={th.value}
                  stroke="var(--bad)"
                  strokeDasharray="6 4"
                  ifOverflow="extendDomain"
                  label={{ value: `${th.label} limit`, position: 'insideBottomRight', fontSize: 10, fill: 'var(--bad)' }}
                />
              ))}
              <Line
                name="Baseline"
                dataKey="baseline"
                stroke="var(--baseline)"
                strokeWidth={1.5}
                strokeDasharray="4 2"
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
              <Line name="Canary" dataKey="canary" stroke="var(--canary)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
});
