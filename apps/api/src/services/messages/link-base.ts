// Sent messages keep their text as it went out, links included, but they are sent from inside release
// changes, which know no settings. The app sets its public URL here once when it is built.
let linkBase = '';

export function setMessageLinkBase(publicUrl: string): void {
  linkBase = publicUrl.replace(/\/$/, '');
}

/** The instance's public URL ("https://rampart.example.com"); empty until the app is built. */
export function messageLinkBase(): string {
  return linkBase;
}
