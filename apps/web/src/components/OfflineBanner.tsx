import { offlineText } from '../lib/offline';

/** Above a page that shows what it last knew because the server does not answer. */
export function OfflineBanner({ since }: { since: number | null }) {
  if (since === null) return null;
  return (
    <p className="note note-warn offline-banner" role="status" data-testid="offline">
      <span aria-hidden="true">⚠ </span>
      {offlineText(since)}
    </p>
  );
}
