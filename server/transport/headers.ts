import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer Express gives: the API's, the static assets' and the pages'.
 * nosniff, a referrer that names only our origin to other sites, HSTS when the site is served over
 * https, and a CSP that lets nothing load or frame: right for JSON, CSV and static files. SvelteKit
 * replaces that CSP on the pages it renders with its own (kit.csp in client/svelte.config.js: nonces,
 * frame-ancestors 'none' unless a route opts in), so the two never add up.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
    // The CSP's frame-ancestors rules; pages add X-Frame-Options: DENY for old browsers unless a route may be embedded (hooks.server.ts).
    xFrameOptions: false,
    // Socket.IO's long-polling and the API are same-origin; other sites have no reason to read our files.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

/** Whether the site as people reach it is https: cookies are then Secure whatever the hop to us was. */
export const isHttps = (publicUrl: string | undefined): boolean => publicUrl?.startsWith('https://') ?? false;
