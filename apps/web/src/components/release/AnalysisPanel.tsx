import type { TGateEvaluation } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { useAnalysis } from '../../hooks/useAnalysis';
import { formatDuration, formatMetric, metricLabel } from '../../lib/format';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote, Loading } from '../Section';
import { VerdictBadge } from '../StatusPill';

/** The judgement: overall verdict, score and breakdown, and each gate with its evidence. */
export function AnalysisPanel({ releaseId }: { releaseId: string }) {
  const analysis = useAnalysis(releaseId);
  if (analysis.isPending) return <Loading what="the analysis" />;
  if (analysis.data === undefined) return <ErrorNote>{describeError(analysis.error)}</ErrorNote>;
  const data = analysis.data;
  if (!data) return <p className="muted">No analysis yet: gates are judged once the release runs and metrics arrive.</p>;
  return (
    <div className="analysis">
      <div className="analysis-summary">
        <VerdictBadge verdict={data.verdict} />
        <span className="score" aria-label={`Score ${Math.round(data.score)} out of 100`}>
          <strong>{Math.round(data.score)}</strong>
          <span className="muted">/100</span>
        </span>
        <span className="muted small">
          evaluated <RelativeTime iso={data.evaluatedAt} />
        </span>
      </div>
      {data.breakdown.length ? (
        <table className="table breakdown">
          <caption>Score breakdown</caption>
          <thead>
            <tr>
              <th scope="col">Gate</th>
              <th scope="col">Verdict</th>
              <th scope="col">Weight</th>
              <th scope="col">Points</th>
            </tr>
          </thead>
          <tbody>
            {data.breakdown.map((item) => (
              <tr key={item.gate}>
                <td>{data.gates.find((g) => g.key === item.gate)?.name ?? item.gate}</td>
                <td>
                  <VerdictBadge verdict={item.verdict} />
                </td>
                <td>{item.weight}</td>
                <td>{Math.round(item.points * 10) / 10}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ul className="gates">
        {data.gates.map((gate) => (
          <GateRow key={gate.key} gate={gate} />
        ))}
      </ul>
    </div>
  );
}

function GateRow({ gate }: { gate: TGateEvaluation }) {
  const e = gate.evidence;
  return (
    <li className="gate" data-testid={`gate-${gate.key}`}>
      <div className="gate-head">
        <VerdictBadge verdict={gate.verdict} />
        <strong>{gate.name}</strong>
        <span className="muted small">
          {metricLabel(gate.metric)} · {gate.kind.replace(/_/g, ' ')} · on breach: {gate.severity}
        </span>
      </div>
      <p>{gate.summary}</p>
      <dl className="evidence">
        <div>
          <dt>Canary</dt>
          <dd>{formatMetric(gate.metric, e.canary)}</dd>
        </div>
        <div>
          <dt>Baseline</dt>
          <dd>{formatMetric(gate.metric, e.baseline)}</dd>
        </div>
        <div>
          <dt>Threshold</dt>
          <dd>{formatMetric(gate.metric, e.threshold)}</dd>
        </div>
        <div>
          <dt>Window</dt>
          <dd>{formatDuration(e.windowSeconds)}</dd>
        </div>
        <div>
          <dt>Samples</dt>
          <dd>{e.sampleSize.toLocaleString()}</dd>
        </div>
        {e.breachedForSeconds !== null ? (
          <div>
            <dt>Breached for</dt>
            <dd>{formatDuration(e.breachedForSeconds)}</dd>
          </div>
        ) : null}
        {e.eValue !== null ? (
          <div>
            <dt>E-value</dt>
            <dd>
              {e.eValue.toPrecision(3)}
              {e.eValueToFail !== null ? ` (fails at ${e.eValueToFail.toPrecision(3)})` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}
