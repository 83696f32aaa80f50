/**
 * @packageDocumentation
 * SmartSession wire protocol: zod schemas are the single source of both the TypeScript types and the
 * runtime checks. No Node or DOM imports here.
 */
export * from './frame.js';
export * from './status.js';
export * from './reason.js';
export * from './messages.js';
export * from './http.js';
export * from './api.js';
export * from './outbox.js';
export * from './report.js';
export * from './client.js';
