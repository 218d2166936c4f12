import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { ErrorNote, Loading } from '../components/Section';
import { formatPercent } from '../lib/format';

export default function PlaybooksPage() {
  const playbooks = useQuery({ queryKey: keys.playbooks, queryFn: api.playbooks });
  return (
    <div>
      <h1>Playbooks</h1>
      {playbooks.isPending ? <Loading what="playbooks" /> : playbooks.isError ? <ErrorNote>{describeError(playbooks.error)}</ErrorNote> : (
        <ul className="cards">
          {playbooks.data.playbooks.map((p) => (
            <li key={p.id} className="card">
              <h2>
                <Link to={`/playbooks/${p.id}`}>{p.name}</Link>
              </h2>
              <p className="muted small">
                {p.key} · version {p.version}
                {p.builtIn ? ' · built in' : ''}
              </p>
              <p>{p.description}</p>
              <p className="small">
                {p.stages.map((s) => formatPercent(s.trafficPercent)).join(' → ')} · {p.gateCount} gates · {p.checklistItemCount} checklist items
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
