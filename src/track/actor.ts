/**
 * Who is acting: recorded with registrations (`createdBy`) and alias moves (`actor`).
 *
 * @module
 */

import { hostname, userInfo } from 'node:os';

/** `user@host`, as recorded for registrations and alias moves (`LATHE_ACTOR` overrides it). */
export function currentActor(): string {
  const env = process.env.LATHE_ACTOR;
  if (env) return env;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}
