// Sent messages are rendered inside release changes, which know no settings, so the release's link is
// stored as a mark and filled where the text is read or sent (the status page, the email), as webhook
// payloads leave releaseUrl out of their row. A mark in a private-use character pair cannot come from a
// template or a person's words by accident, so filling it changes nothing else in the text.

/** What a sending renders in place of {{releaseUrl}}. */
export const RELEASE_LINK_MARK = '\uE000releaseUrl\uE001';

export const releaseLinkOf = (publicUrl: string, releaseId: string) => `${publicUrl.replace(/\/$/, '')}/releases/${releaseId}`;

/** A sent message's text as people see it: the release's link on this instance. Rows from before the mark pass as they are. */
export function withReleaseLink(text: string, publicUrl: string, releaseId: string): string {
  return text.includes(RELEASE_LINK_MARK) ? text.replaceAll(RELEASE_LINK_MARK, releaseLinkOf(publicUrl, releaseId)) : text;
}
