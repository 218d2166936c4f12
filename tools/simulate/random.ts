export * from '../../packages/traffic/src/random.js';
