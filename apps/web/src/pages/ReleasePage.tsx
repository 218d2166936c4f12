import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { describeError } from '../api/client';
import { WindowPicker, windowFromParam } from '../charts/WindowPicker';
import { IncidentsPanel } from '../components/incidents/IncidentsPanel';
import { PeoplePanel } from '../components/incidents/PeoplePanel';
import { ActionBar } from '../components/release/ActionBar';
import { AnalysisPanel } from '../components/release/AnalysisPanel';
import { ApprovalsPanel } from '../components/release/ApprovalsPanel';
import { Attempts } from '../components/release/Attempts';
import { ChecklistPanel } from '../components/release/ChecklistPanel';
import { EventTimeline } from '../components/release/EventTimeline';
import { MessagesPanel } from '../components/release/MessagesPanel';
import { MetricsSourcePanel } from '../components/release/MetricsSourcePanel';
import { ReleaseHeader } from '../components/release/ReleaseHeader';
import { StageTimeline } from '../components/release/StageTimeline';
import { TrafficPanel } from '../components/release/TrafficPanel';
import { OfflineBanner } from '../components/OfflineBanner';
import { ErrorNote, Loading, Section } from '../components/Section';
import { canAct, useMe } from '../hooks/useMe';
import { useOfflineSince } from '../hooks/useOfflineSince';
import { useRelease } from '../hooks/useRelease';

const MetricsPanel = lazy(() => import('../charts/MetricsPanel'));

export function ReleasePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const release = useRelease(id);
  const [params, setParams] = useSearchParams();
  const window = windowFromParam(params.get('window'));
  const offlineSince = useOfflineSince(release);

  if (release.isPending || !me.data) return <Loading what="the release" />;
  // A failed refetch keeps the release it last had: the page stays, under the offline banner.
  if (!release.data) {
    return (
      <ErrorNote>
        {describeError(release.error)} <Link to="/">Back to releases</Link>
      </ErrorNote>
    );
  }
  const r = release.data;
  return (
    <div className={`release-page${offlineSince === null ? '' : ' is-stale'}`}>
      <OfflineBanner since={offlineSince} />
      <ReleaseHeader release={r} />
      <Attempts release={r} me={me.data} />
      <Section title="Rollout" id="rollout">
        <StageTimeline release={r} />
        <TrafficPanel release={r} />
        <MetricsSourcePanel release={r} mayEdit={canAct(me.data)} />
        {canAct(me.data) ? <ActionBar release={r} offline={offlineSince !== null} /> : <p className="muted small">Release owners and admins act on releases.</p>}
      </Section>
      <div className="columns">
        <Section title="Incidents" id="incidents">
          <IncidentsPanel release={r} />
        </Section>
        <Section title="People" id="people">
          <PeoplePanel releaseId={r.id} />
        </Section>
      </div>
      <Section
        title="Canary against baseline"
        id="metrics"
        actions={
          <WindowPicker
            value={window.param}
            onChange={(param) =>
              setParams(
                (prev) => {
                  const next = new URLSearchParams(prev);
                  next.set('window', param);
                  return next;
                },
                { replace: true },
              )
            }
          />
        }
      >
        <Suspense fallback={<Loading what="charts" />}>
          <MetricsPanel release={r} windowMs={window.ms} />
        </Suspense>
      </Section>
      <div className="columns">
        <Section title="Gates" id="gates">
          <AnalysisPanel releaseId={r.id} />
        </Section>
        <Section title="Approvals" id="approvals">
          <ApprovalsPanel release={r} me={me.data} />
        </Section>
      </div>
      <div className="columns">
        <Section title="Checklist" id="checklist">
          <ChecklistPanel release={r} me={me.data} />
        </Section>
        <Section title="Events" id="events">
          <EventTimeline releaseId={r.id} stages={r.stages} />
        </Section>
      </div>
      <Section title="Messages" id="messages">
        <MessagesPanel releaseId={r.id} />
      </Section>
    </div>
  );
}
