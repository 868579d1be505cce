// Unique names per test, so tests share one stack without sharing topics, groups or task queues.
import { randomBytes } from 'node:crypto';

export const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
