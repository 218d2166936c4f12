// Values people typed (a reason, a version, notes, names, comments) must read as text in chat, never as
// markup: in Slack's mrkdwn `<!channel>` pings a whole channel and `<https://evil|Rollback guide>` shows a
// link under a name it chose. Slack asks for exactly these three characters to be escaped; the bare
// mentions other chat tools (Mattermost) act on get a zero-width space after the `@`.

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeSlack(value: string): string {
  return value.replace(/[&<>]/g, (c) => SLACK_ENTITIES[c]!).replace(/@(channel|here|everyone|all)\b/gi, '@\u200b$1');
}
