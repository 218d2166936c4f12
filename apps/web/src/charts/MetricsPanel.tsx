// Loaded on demand (recharts is the heaviest dependency): the release page's charts.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { TRelease } from '@rampart/contracts';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { useAnalysis } from '../hooks/useAnalysis';
import { useNow } from '../hooks/useNow';
import { useReleaseEvents } from '../hooks/useReleaseEvents';
import { describeEvent, MARKED_EVENTS } from '../lib/events';
import { chartMetrics, thresholdsFor } from './chartData';
import { MetricChart, type Mark } from './MetricChart';

export default function MetricsPanel({ release, windowMs }: { release: TRelease; windowMs: number }) {
  const playbookId = release.playbook.id;
  const playbook = useQuery({
    queryKey: keys.playbook(playbookId ?? 'none'),
    queryFn: () => api.playbook(playbookId!),
    enabled: !!playbookId,
    staleTime: 5 * 60_000,
  });
  const analysis = useAnalysis(release.id);
  const events = useReleaseEvents(release.id);
  const now = useNow(5000);
  const spec = playbook.data?.spec;
  const metrics = useMemo(() => chartMetrics(spec, analysis.data), [spec, analysis.data]);
  const marks = useMemo<Mark[]>(
    () =>
      (events.data?.events ?? [])
        .filter((e) => MARKED_EVENTS.has(e.type))
        .map((e) => ({ t: Date.parse(e.createdAt), label: describeEvent(e, release.stages).text })),
    [events.data, release.stages],
  );
  const thresholds = useMemo(
    () => Object.fromEntries(metrics.map((m) => [m, thresholdsFor(m, spec, analysis.data)])),
    [metrics, spec, analysis.data],
  );
  return (
    <div className="charts">
      {metrics.map((metric) => (
        <MetricChart
          key={metric}
          releaseId={release.id}
          metric={metric}
          windowMs={windowMs}
          now={now}
          thresholds={thresholds[metric] ?? []}
          marks={marks}
        />
      ))}
    </div>
  );
}
