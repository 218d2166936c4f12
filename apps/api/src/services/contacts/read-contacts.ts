import type { TContactSpec, TPage } from '@rampart/contracts';
import type { Db } from '../../db/prisma.js';
import { notFound } from '../../errors.js';
import { pageView } from '../paging/page-view.js';
import { contactsOf } from './contacts-of.js';

export interface TContactsView {
  contacts: TContactSpec[];
  /** Every page the release sent, newest first. */
  pages: TPage[];
}

export async function readContacts(ctx: { db: Db }, releaseId: string): Promise<TContactsView> {
  const release = await ctx.db.release.findUnique({ where: { id: releaseId }, select: { contacts: true, playbookSpec: true } });
  if (!release) throw notFound('Release');
  const pages = await ctx.db.page.findMany({ where: { releaseId }, orderBy: [{ pagedAt: 'desc' }, { level: 'desc' }] });
  return { contacts: contactsOf(release), pages: pages.map(pageView) };
}
