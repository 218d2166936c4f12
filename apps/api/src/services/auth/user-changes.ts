// Changing a user from the admin page: the change itself (services/users), then the end of whatever
// access it takes away, on open sockets too.
import type { TServiceContext } from '../context.js';
import { updateUser } from '../users/users.js';
import { announceRevocation, announceUserChange } from './revocations.js';

type TUserChange = Parameters<typeof updateUser>[2];

export async function changeUser(ctx: TServiceContext, id: string, input: TUserChange) {
  const before = await ctx.db.user.findUnique({ where: { id }, select: { role: true } });
  const user = await updateUser(ctx, id, input);
  // A new role may see less: its sockets reconnect and are authorized again (closing is simpler than
  // re-filtering what each socket follows).
  if (input.disabled || (before && before.role !== user.role)) {
    announceRevocation({ kind: 'user', userId: id, credentials: 'all' });
  } else if (input.password) {
    announceRevocation({ kind: 'user', userId: id, credentials: 'sessions' });
  } else {
    // Nothing to close, but a cached actor would still carry the old name or approval roles.
    announceUserChange(id);
  }
  return user;
}
