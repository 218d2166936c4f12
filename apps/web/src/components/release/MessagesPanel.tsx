import { useReleaseMessages } from '../../hooks/useReleaseMessages';
import { describeError } from '../../api/client';
import { CopyButton } from '../CopyButton';
import { ErrorNote, Loading } from '../Section';

/** The playbook's message templates, filled with this release's facts, ready to paste. */
export function MessagesPanel({ releaseId }: { releaseId: string }) {
  const messages = useReleaseMessages(releaseId);
  if (messages.isPending) return <Loading what="messages" />;
  if (messages.data === undefined) return <ErrorNote>{describeError(messages.error)}</ErrorNote>;
  return (
    <div className="messages">
      {messages.data.messages.map((m) => (
        <article key={m.key} className="message" aria-labelledby={`msg-${m.key}`}>
          <header className="message-header">
            <h3 id={`msg-${m.key}`}>{m.title}</h3>
            <span className="muted small">
              {m.audience === 'external' ? 'External' : 'Internal'}
              {m.severity ? ` · ${m.severity}` : ''}
            </span>
            <CopyButton text={m.text} label={`Copy`} />
          </header>
          <pre className="message-text">{m.text}</pre>
        </article>
      ))}
    </div>
  );
}
