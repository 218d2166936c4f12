export * from './auth.js';
export * from './common.js';
export * from './enums.js';
export * from './events.js';
export * from './playbook.js';
export * from './playbook-api.js';
export * from './release.js';
