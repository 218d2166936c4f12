export * from './response.js';
export * from './rules.js';
