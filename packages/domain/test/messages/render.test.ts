import { describe, expect, it } from 'vitest';
import type { TMessageTemplateSpec } from '@rampart/contracts';
import type { TMessageVariables } from '../../src/index.js';
import { escapeSlack, renderMessage } from '../../src/index.js';

const template: TMessageTemplateSpec = {
  key: 'rollback',
  kind: 'rollback',
  audience: 'internal',
  title: 'Rollback',
  body: ':rotating_light: *{{service}} {{version}}* is rolling back: {{reason}}\n> {{notes}}\n<{{releaseUrl}}|Open the release> & {{{owner}}} {{& stage}}',
};

const variables = (overrides: Partial<TMessageVariables>): TMessageVariables =>
  ({
    service: 'checkout',
    version: '1.2.3',
    notes: 'Faster checkout',
    owner: 'Olivia Owner',
    stage: 'Canary',
    reason: 'errors up',
    releaseUrl: 'https://rampart.example.com/releases/42',
    ...overrides,
  }) as TMessageVariables;

describe('Slack escaping of message values', () => {
  it('escapes &, < and > so a value can neither ping nor disguise a link', () => {
    expect(escapeSlack('<!channel> see <https://evil.example|Rollback guide> & more')).toBe(
      '&lt;!channel&gt; see &lt;https://evil.example|Rollback guide&gt; &amp; more',
    );
    expect(escapeSlack('<@U123> <!here> <#C42>')).toBe('&lt;@U123&gt; &lt;!here&gt; &lt;#C42&gt;');
    expect(escapeSlack('@channel and @Here')).toBe('@\u200bchannel and @\u200bHere');
    expect(escapeSlack('a@channel.example.com')).toBe('a@\u200bchannel.example.com');
    expect(escapeSlack('plain text, 1.2.3')).toBe('plain text, 1.2.3');
  });

  it('escapes every value, in double, triple and & tags alike, and keeps the template\'s own markup', () => {
    const text = renderMessage(
      template,
      variables({
        reason: '<!channel> <https://evil.example|Rollback guide>',
        version: '1.2.3<!here>',
        notes: 'A & B <b>',
        owner: '<@U0ADMIN>',
        stage: '<!everyone>',
      }),
      'slack',
    ).text;
    expect(text).toBe(
      ':rotating_light: *checkout 1.2.3&lt;!here&gt;* is rolling back: &lt;!channel&gt; &lt;https://evil.example|Rollback guide&gt;\n' +
        '> A &amp; B &lt;b&gt;\n<https://rampart.example.com/releases/42|Open the release> & &lt;@U0ADMIN&gt; &lt;!everyone&gt;',
    );
    expect(text).not.toMatch(/<!|<https:\/\/evil/);
  });

  it('leaves the plain rendering (release page, status page, copy button) as people typed it', () => {
    const text = renderMessage(template, variables({ reason: 'A & B <!channel>' })).text;
    expect(text).toContain('is rolling back: A & B <!channel>');
  });
});
