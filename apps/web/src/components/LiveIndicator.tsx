import { useLiveState } from '../hooks/useLive';
import { useNow } from '../hooks/useNow';

/** "Live", "Offline — reconnecting in 4s", or that the page polls without the socket. */
export function LiveIndicator() {
  const { status, retryAt, everConnected } = useLiveState();
  const now = useNow(1000);
  let tone = 'good';
  let icon = '●';
  let text = 'Live';
  if (status === 'paused') {
    tone = 'neutral';
    icon = '⏸';
    text = 'Paused while hidden';
  } else if (status === 'connecting' && !everConnected) {
    tone = 'neutral';
    icon = '◌';
    text = retryAt ? 'Updating every 5 s' : 'Connecting…';
  } else if (status !== 'live') {
    tone = 'bad';
    icon = '✕';
    const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0;
    text = seconds > 0 ? `Offline — reconnecting in ${seconds}s` : 'Offline — reconnecting';
  }
  return (
    <span className={`live live-${tone}`} role="status" aria-live="polite" data-live-status={status}>
      <span aria-hidden="true">{icon}</span> {text}
    </span>
  );
}
