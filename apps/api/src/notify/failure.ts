// What a failed send is stored and logged as: a fixed word or the SMTP status code, never the server's own
// text (it may quote our credentials back, or carry whatever a hostile server chooses to say).

export function failureWord(error: unknown): string {
  const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown };
  if (code === 'EAUTH') return 'auth_failed';
  if (typeof responseCode === 'number' && Number.isInteger(responseCode) && responseCode >= 400 && responseCode < 600) return `smtp_${responseCode}`;
  switch (code) {
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
      return 'connection_failed';
    case 'ETLS':
      return 'tls_failed';
    case 'EENVELOPE':
      return 'rejected';
    default:
      return 'send_failed';
  }
}

/** Rows that are done without an email, and why. */
export const NOT_SENT = {
  /** No RAMPART_SMTP_URL: email is off, and rows are not kept for a server configured later (stale pages would go out at once). */
  emailOff: 'email_off',
  /** The paged contact has no email address (or is no longer among the release's contacts). */
  noAddress: 'no_address',
  /** No contact of the release has an email address. */
  noRecipients: 'no_recipients',
} as const;
