import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { TPlaybook, TPlaybookSpec } from '@rampart/contracts';
import { ApiError, describeError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { PlaybookPreview } from '../components/PlaybookPreview';
import { ErrorNote, Loading, Section } from '../components/Section';
import { useMe } from '../hooks/useMe';

export default function PlaybookPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const playbook = useQuery({ queryKey: keys.playbook(id), queryFn: () => api.playbook(id) });
  if (playbook.isPending) return <Loading what="the playbook" />;
  if (playbook.isError) return <ErrorNote>{describeError(playbook.error)}</ErrorNote>;
  const p = playbook.data;
  return (
    <div>
      <h1>{p.name}</h1>
      <p className="muted">
        {p.key} · version {p.version}
        {p.builtIn ? ' · built in' : ''}
      </p>
      <p>{p.description}</p>
      <div className="columns">
        <Section title="What it does">
          <PlaybookPreview playbook={p} />
        </Section>
        {me.data?.role === 'admin' ? (
          <Section title="Edit the spec (JSON)">
            <SpecEditor key={p.version} playbook={p} />
          </Section>
        ) : null}
      </div>
    </div>
  );
}

/** Admins edit the JSON spec; the save carries the version they started from, so edits never cross. */
function SpecEditor({ playbook }: { playbook: TPlaybook }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => JSON.stringify(playbook.spec, null, 2));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    let spec: TPlaybookSpec;
    try {
      spec = JSON.parse(text) as TPlaybookSpec;
    } catch (e) {
      setMessage({ ok: false, text: `Not valid JSON: ${(e as Error).message}` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const saved = await api.updatePlaybook(playbook.id, { expectedVersion: playbook.version, spec });
      queryClient.setQueryData(keys.playbook(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: keys.playbooks });
      setMessage({ ok: true, text: `Saved as version ${saved.version}. Running releases keep the spec they started with.` });
    } catch (e) {
      const stale = e instanceof ApiError && e.kind === 'conflict';
      setMessage({ ok: false, text: stale ? 'Someone saved a newer version first. Reload to see it, then redo your change.' : describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="form">
      <label className="field">
        <span>Spec, version {playbook.version}</span>
        <textarea className="code" rows={24} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      {message ? (
        <p className={`note ${message.ok ? 'note-good' : 'note-bad'}`} role={message.ok ? 'status' : 'alert'}>
          <span aria-hidden="true">{message.ok ? '✓ ' : '✕ '}</span>
          {message.text}
        </p>
      ) : null}
      <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Save new version'}
      </button>
    </div>
  );
}
