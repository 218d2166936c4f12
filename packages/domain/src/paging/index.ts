export * from './contacts-owner.js';
export * from './escalation.js';
export * from './page-causes.js';
