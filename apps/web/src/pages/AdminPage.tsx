import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TApprovalRole, TTokenScope, TUser, TUserRole } from '@rampart/contracts';
import { describeError } from '../api/client';
import { api, type TCreatedToken } from '../api/endpoints';
import { keys } from '../api/keys';
import { CopyButton } from '../components/CopyButton';
import { StopTheLine } from '../components/incidents/StopTheLine';
import { RelativeTime } from '../components/RelativeTime';
import { ErrorNote, Loading, Section } from '../components/Section';
import { roleLabel } from '../lib/format';

const ROLES: TUserRole[] = ['admin', 'release_owner', 'approver', 'viewer'];
const APPROVAL_ROLES: TApprovalRole[] = ['product', 'security', 'infrastructure', 'engineering'];
const SCOPES: TTokenScope[] = ['releases:read', 'releases:write', 'metrics:write', 'traffic:ack', 'playbooks:write', 'incidents:write', 'admin'];

export default function AdminPage() {
  return (
    <div>
      <h1>Admin</h1>
      <Section title="Stop the line" id="freeze">
        <StopTheLine />
      </Section>
      <Users />
      <Tokens />
    </div>
  );
}

function Users() {
  const users = useQuery({ queryKey: keys.users, queryFn: api.users });
  return (
    <Section title="Users">
      <CreateUser />
      {users.isPending ? <Loading what="users" /> : users.isError ? <ErrorNote>{describeError(users.error)}</ErrorNote> : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Approval roles</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <UserRow key={u.id} user={u} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function UserRow({ user }: { user: TUser }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const update = async (body: Parameters<typeof api.updateUser>[1]) => {
    setError(null);
    try {
      await api.updateUser(user.id, body);
      await queryClient.invalidateQueries({ queryKey: keys.users });
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <tr>
      <td>
        <strong>{user.name}</strong>
        <br />
        <span className="muted small">{user.email}</span>
        {error ? <ErrorNote>{error}</ErrorNote> : null}
      </td>
      <td>
        <select aria-label={`Role of ${user.name}`} value={user.role} onChange={(e) => void update({ role: e.target.value as TUserRole })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <fieldset className="checks">
          <legend className="visually-hidden">Approval roles of {user.name}</legend>
          {APPROVAL_ROLES.map((r) => (
            <label key={r} className="check-label">
              <input
                type="checkbox"
                checked={user.approvalRoles.includes(r)}
                onChange={(e) =>
                  void update({ approvalRoles: e.target.checked ? [...user.approvalRoles, r] : user.approvalRoles.filter((x) => x !== r) })
                }
              />
              {roleLabel(r)}
            </label>
          ))}
        </fieldset>
      </td>
      <td>
        <span className={`pill pill-${user.disabled ? 'neutral' : 'good'}`}>
          <span aria-hidden="true">{user.disabled ? '✕' : '✓'}</span>
          {user.disabled ? 'Disabled' : 'Active'}
        </span>{' '}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void update({ disabled: !user.disabled })}>
          {user.disabled ? 'Enable' : 'Disable'}
        </button>
      </td>
    </tr>
  );
}

function CreateUser() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'viewer' as TUserRole });
  const [approvalRoles, setApprovalRoles] = useState<TApprovalRole[]>([]);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.createUser({ ...form, approvalRoles });
      setForm({ email: '', name: '', password: '', role: 'viewer' });
      setApprovalRoles([]);
      await queryClient.invalidateQueries({ queryKey: keys.users });
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <details className="create">
      <summary>Add a person</summary>
      <form className="form form-grid" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Name</span>
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="field">
          <span>Email</span>
          <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label className="field">
          <span>Password (8+ characters)</span>
          <input type="password" required minLength={8} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as TUserRole })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="checks">
          <legend>Approval roles</legend>
          {APPROVAL_ROLES.map((r) => (
            <label key={r} className="check-label">
              <input
                type="checkbox"
                checked={approvalRoles.includes(r)}
                onChange={(e) => setApprovalRoles(e.target.checked ? [...approvalRoles, r] : approvalRoles.filter((x) => x !== r))}
              />
              {roleLabel(r)}
            </label>
          ))}
        </fieldset>
        {error ? <ErrorNote>{error}</ErrorNote> : null}
        <button type="submit" className="btn btn-primary">
          Add person
        </button>
      </form>
    </details>
  );
}

function Tokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: api.tokens });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TTokenScope[]>(['releases:read']);
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<TCreatedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const token = await api.createToken({ name: name.trim(), scopes, ...(days ? { expiresInDays: Number(days) } : {}) });
      setCreated(token);
      setName('');
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
    } catch (e) {
      setError(describeError(e));
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.revokeToken(id);
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <Section title="API tokens">
      {created ? (
        <div className="note note-good token-once" role="status">
          <p>
            <strong>
              <span aria-hidden="true">✓ </span>Token “{created.name}” created.
            </strong>{' '}
            Copy it now: it is shown only once.
          </p>
          <code className="token">{created.token}</code> <CopyButton text={created.token} label="Copy token" />{' '}
          <button type="button" className="link" onClick={() => setCreated(null)}>
            I have stored it
          </button>
        </div>
      ) : null}
      <form className="form form-grid" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Name</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="deploy pipeline" />
        </label>
        <label className="field">
          <span>Expires in (days)</span>
          <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
        <fieldset className="checks">
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check-label">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />
              {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={scopes.length === 0}>
          Create token
        </button>
      </form>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {tokens.isPending ? <Loading what="tokens" /> : tokens.isError ? <ErrorNote>{describeError(tokens.error)}</ErrorNote> : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Owner</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td className="small">{t.scopes.join(', ')}</td>
                  <td className="small">{t.user.email}</td>
                  <td>{t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} /> : 'never'}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="pill pill-neutral">
                        <span aria-hidden="true">✕</span>Revoked
                      </span>
                    ) : (
                      <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void revoke(t.id)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
