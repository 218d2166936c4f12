// The emails' words. Plain text: nothing here is HTML, so nothing a contact's name or a reason holds can
// turn into markup, and nodemailer encodes the headers.
import { formatDuration } from '@rampart/domain';
import type { TEmail } from './mailer.js';
import { withReleaseLink } from '../services/messages/link-base.js';

export interface TPageEmailInput {
  publicUrl: string;
  release: { id: string; service: string; version: string };
  page: { id: string; reason: string; level: number; contactRole: string };
  to: { name: string; address: string };
  acknowledgeWithinSeconds: number;
}

/** Subjects stay one readable line. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const releaseUrlOf = (publicUrl: string, releaseId: string) => `${publicUrl}/releases/${releaseId}`;

export function pageEmail(input: TPageEmailInput): TEmail {
  const { release, page } = input;
  const url = releaseUrlOf(input.publicUrl, release.id);
  const escalation = page.level > 0 ? `You are paged because the contact before you did not acknowledge within ${formatDuration(input.acknowledgeWithinSeconds)}.\n\n` : '';
  return {
    to: [input.to],
    subject: oneLine(`[Rampart] Page: ${release.service} ${release.version}: ${page.reason}`, 200),
    text: [
      `You are paged as ${page.contactRole} for ${release.service} ${release.version}.`,
      '',
      `Why: ${page.reason}`,
      '',
      `${escalation}The release: ${url}`,
      '',
      `Acknowledge the page within ${formatDuration(input.acknowledgeWithinSeconds)}, or the next on-call contact is paged:`,
      `- on the release page (${url}), in its contacts and pages, press Acknowledge; or`,
      `- with an API token that may report incidents (scope incidents:write):`,
      `  curl -X POST -H "Authorization: Bearer $RAMPART_TOKEN" ${input.publicUrl}/api/releases/${release.id}/pages/${page.id}/acknowledge`,
      '',
      '-- Rampart',
    ].join('\n'),
  };
}

export interface TMessageEmailInput {
  publicUrl: string;
  release: { id: string; service: string; version: string };
  message: { title: string; text: string };
  to: { name: string; address: string }[];
}

export function messageEmail(input: TMessageEmailInput): TEmail {
  const { release, message } = input;
  return {
    to: input.to,
    subject: oneLine(`[Rampart] ${release.service} ${release.version}: ${message.title}`, 200),
    text: `${withReleaseLink(message.text, input.publicUrl, release.id)}\n\nThe release: ${releaseUrlOf(input.publicUrl, release.id)}\n\n-- Rampart`,
  };
}
