import { Link } from 'react-router';
import type { TMe } from '@rampart/contracts';
import { useNeedsYou } from '../hooks/useNeedsYou';
import { Section } from './Section';
import { StateBadge } from './StatusPill';

const ICONS = { signoff: '✍', paused: '⏸', blocked: '⊘', failing: '✕' } as const;

export function NeedsYou({ me }: { me: TMe }) {
  const { items, loading } = useNeedsYou(me);
  if (me.role === 'viewer') return null;
  return (
    <Section title="Needs you" id="needs-you">
      {loading ? null : items.length === 0 ? (
        <p className="muted">
          <span aria-hidden="true">✓ </span>Nothing waits for you right now.
        </p>
      ) : (
        <ul className="needs" data-testid="needs-you">
          {items.map((item) => (
            <li key={`${item.release.id}-${item.kind}-${item.why}`} className={`need need-${item.kind}`}>
              <span aria-hidden="true" className="need-icon">
                {ICONS[item.kind]}
              </span>
              <Link to={`/releases/${item.release.id}`}>
                <strong>{item.release.service}</strong> {item.release.version}
              </Link>
              <StateBadge state={item.release.state} />
              <span>{item.why}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
