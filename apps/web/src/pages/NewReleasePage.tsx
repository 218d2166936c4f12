import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError, describeError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { PlaybookPreview } from '../components/PlaybookPreview';
import { ErrorNote, Loading, Section } from '../components/Section';

export default function NewReleasePage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const playbooks = useQuery({ queryKey: keys.playbooks, queryFn: api.playbooks });
  const [service, setService] = useState('');
  const [version, setVersion] = useState('');
  const [notes, setNotes] = useState('');
  const [playbookId, setPlaybookId] = useState('');
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = playbookId || playbooks.data?.playbooks[0]?.id || '';
  const playbook = useQuery({ queryKey: keys.playbook(chosen), queryFn: () => api.playbook(chosen), enabled: !!chosen });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const release = await api.createRelease({ service: service.trim(), version: version.trim(), playbookId: chosen, ...(notes.trim() ? { notes: notes.trim() } : {}) });
      queryClient.setQueryData(keys.release(release.id), release);
      void queryClient.invalidateQueries({ queryKey: keys.releasesAll });
      await navigate(`/releases/${release.id}`);
    } catch (e) {
      setError({ ...(e instanceof ApiError && e.field ? { field: e.field } : {}), message: describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  const invalid = (field: string) => (error?.field === field ? true : undefined);

  return (
    <div className="new-release">
      <h1>New release</h1>
      <div className="columns">
        <Section title="What you release">
          <form onSubmit={(e) => void submit(e)} className="form">
            <label className="field">
              <span>Service</span>
              <input value={service} onChange={(e) => setService(e.target.value)} required maxLength={100} placeholder="orders-api" aria-invalid={invalid('service')} />
            </label>
            <label className="field">
              <span>Version</span>
              <input value={version} onChange={(e) => setVersion(e.target.value)} required maxLength={100} placeholder="1.4.0" aria-invalid={invalid('version')} />
            </label>
            <label className="field">
              <span>Playbook</span>
              <select value={chosen} onChange={(e) => setPlaybookId(e.target.value)} required>
                {playbooks.data?.playbooks.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.stages.length} stages, {p.gateCount} gates)
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>
                Notes <span className="muted">(changes; optional)</span>
              </span>
              <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={4} maxLength={10000} />
            </label>
            {error ? <ErrorNote>{error.message}</ErrorNote> : null}
            <button type="submit" className="btn btn-primary" disabled={busy || !chosen}>
              {busy ? 'Creating…' : 'Create release'}
            </button>
          </form>
        </Section>
        <Section title={playbook.data ? `Playbook: ${playbook.data.name}` : 'Playbook'}>
          {playbook.isPending ? <Loading what="the playbook" /> : playbook.data ? (
            <>
              <p className="muted">{playbook.data.description}</p>
              <PlaybookPreview playbook={playbook.data} />
            </>
          ) : null}
        </Section>
      </div>
    </div>
  );
}
