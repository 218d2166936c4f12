// Every string from outside, before the route's schema sees it: the path parameters, the query and
// the body, free-form JSON (playbook specs, label maps) and object keys included. One check here
// rather than one per schema, so no text field can be forgotten; a refusal is a 400 naming the field
// as validation names it, never PostgreSQL's 500 at the first INSERT.
import fp from 'fastify-plugin';
import { findUnsafeText } from '@rampart/contracts';
import { ServiceError } from '../errors.js';

export const safeTextPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      const found =
        findUnsafeText(request.params, 'params') ?? findUnsafeText(request.query, 'querystring') ?? findUnsafeText(request.body, 'body');
      if (found) throw new ServiceError('invalid', `${found.path}: ${found.reason}`, { field: found.path });
    });
  },
  { name: 'safe-text' },
);
