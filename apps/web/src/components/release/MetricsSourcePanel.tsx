import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TRelease } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { useAnalysis } from '../../hooks/useAnalysis';
import { useNow } from '../../hooks/useNow';
import {
  NO_METRICS_TEXT,
  SOURCE_COHORTS,
  SOURCE_METRICS,
  SOURCE_METRIC_LABELS,
  describeSource,
  formFromSource,
  hasNoMetrics,
  queryKey,
  sourceBody,
  type TSourceForm,
} from '../../lib/metrics-source';
import { ErrorNote } from '../Section';

const FINISHED = ['completed', 'rolled_back', 'aborted'];

/** Where the release's metrics come from, how polling goes, and (for those who act) the form to connect Prometheus. */
export function MetricsSourcePanel({ release, mayEdit }: { release: TRelease; mayEdit: boolean }) {
  const source = useQuery({ queryKey: keys.metricsSource(release.id), queryFn: () => api.metricsSource(release.id) });
  const analysis = useAnalysis(release.id);
  const now = useNow(5000);
  const [checked, setChecked] = useState<string | null>(null);
  const state = describeSource(source.data, now);
  const noMetrics = source.isSuccess && analysis.isSuccess && hasNoMetrics(analysis.data, source.data);
  const editable = mayEdit && !FINISHED.includes(release.state);

  const check = async () => {
    setChecked(null);
    const result = await source.refetch();
    setChecked(result.error ? describeError(result.error) : describeSource(result.data, Date.now()).text);
  };

  return (
    <div className="metrics-source" data-testid="metrics-source">
      {noMetrics ? (
        <p className="note note-warn" data-testid="no-metrics">
          <span aria-hidden="true">∅ </span>
          {NO_METRICS_TEXT}
        </p>
      ) : null}
      <p className={`small tone-${state.tone}`} data-testid="metrics-source-state">
        {source.isPending ? 'Reading the metrics source…' : source.error ? describeError(source.error) : state.text}
      </p>
      {editable && source.isSuccess ? (
        <details className="source-editor">
          <summary>{source.data.prometheus ? 'Change the Prometheus source' : 'Connect Prometheus'}</summary>
          <SourceForm release={release} initial={formFromSource(source.data)} />
          {source.data.prometheus ? (
            <p className="small">
              <button type="button" className="btn btn-small btn-ghost" onClick={() => void check()} disabled={source.isFetching}>
                Test connection
              </button>{' '}
              {checked ? <span role="status" data-testid="source-check">{checked}</span> : null}
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}

function SourceForm({ release, initial }: { release: TRelease; initial: TSourceForm }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = sourceBody(form);
    if (!checked.ok) {
      setError(`${checked.field}: ${checked.message}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const view = await api.setMetricsSource(release.id, checked.body);
      queryClient.setQueryData(keys.metricsSource(release.id), view);
      setSaved(true);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="source-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="source-form-row">
        <label className="field">
          <span>Prometheus URL</span>
          <input
            name="url"
            value={form.url}
            placeholder="http://prometheus:9090"
            onChange={(e) => setForm({ ...form, url: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Step (seconds)</span>
          <input name="stepSeconds" inputMode="numeric" value={form.stepSeconds} onChange={(e) => setForm({ ...form, stepSeconds: e.target.value })} />
        </label>
      </div>
      <p className="muted small">
        PromQL per metric and cohort; leave a box empty to skip it. Placeholders: {'{{service}} {{version}} {{cohort}} {{release_id}} {{step}}'}.
      </p>
      {SOURCE_METRICS.map((metric) => (
        <fieldset key={metric} className="source-metric">
          <legend>{SOURCE_METRIC_LABELS[metric]}</legend>
          {SOURCE_COHORTS.map((cohort) => {
            const key = queryKey(metric, cohort);
            return (
              <label key={key} className="field">
                <span>{cohort === 'canary' ? 'Canary' : 'Baseline'}</span>
                <textarea
                  name={key}
                  rows={1}
                  value={form.queries[key] ?? ''}
                  onChange={(e) => setForm({ ...form, queries: { ...form.queries, [key]: e.target.value } })}
                />
              </label>
            );
          })}
        </fieldset>
      ))}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {saved ? (
        <p className="note note-good" role="status">
          Saved. Rampart polls Prometheus from the release start; use “Test connection” to see how it goes.
        </p>
      ) : null}
      <button type="submit" className="btn btn-small" disabled={busy}>
        Save source
      </button>
    </form>
  );
}
