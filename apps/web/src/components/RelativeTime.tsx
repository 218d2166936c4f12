import { useNow } from '../hooks/useNow';
import { formatDateTime, formatRelative } from '../lib/format';

/** "5m ago" that ticks, with the exact time on hover and for screen readers in <time>. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow(5000);
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
