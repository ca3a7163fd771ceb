export * from './auth.js';
export * from './chat.js';
export * from './errors.js';
export * from './health.js';
export * from './learning.js';
export * from './realtime.js';
export * from './admin.js';
export * from './exercises.js';
