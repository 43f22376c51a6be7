import express, { type Request, type Response, type Router } from 'express';
import type { ConferenceReport } from '../../realtime/schemas/results.js';
import { HttpError } from '../platform/errors.js';
import type { OpenData } from '../results/open-data.js';
import type { Seals } from '../results/seals.js';
import { reportPdf } from '../results/report-pdf.js';
import { apiErrorHandler } from './http.js';

export interface FileDeps {
  openData: OpenData;
  seals: Seals;
  report: () => Promise<ConferenceReport>;
  publicUrl: () => string;
}

const TYPES: Record<string, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

/** Under /api: files served as bytes, not through a command's JSON: open data and sealed rounds. */
export function fileRouter(deps: FileDeps): Router {
  const router = express.Router();

  router.get('/open-data.zip', async (req, res) => {
    const build = await deps.openData.get();
    if (notModified(req, res, build.etag)) return;
    res.type('application/zip').attachment('reclaim-open-data.zip').send(build.zip);
  });

  router.get('/open-data/:file', async (req, res) => {
    const name = req.params.file;
    const { body, etag } = await deps.openData.file(name);
    if (notModified(req, res, etag)) return;
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.type(TYPES[name.split('.').pop()!] ?? 'application/octet-stream').send(body);
  });

  /** A sealed round: the bytes exactly as written, so their SHA-256 is the published one. */
  router.get('/live/:code/rounds/:n/sealed.json', async (req, res) => {
    const round = Number(req.params.n);
    if (!Number.isInteger(round) || round < 1) throw new HttpError('BAD_REQUEST', 'The round is a whole number from 1.');
    const { json, sha256 } = await deps.seals.bytes(req.params.code.toUpperCase(), round);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (notModified(req, res, `"${sha256}"`)) return;
    res.type('application/json').send(Buffer.from(json, 'utf8'));
  });
  router.use(apiErrorHandler);
  return router;
}

/** At the site's root: the conference report as a PDF, made on the server. */
export function reportPdfRouter(deps: FileDeps): Router {
  const router = express.Router();
  router.get('/report.pdf', async (_req, res) => {
    const pdf = await reportPdf(await deps.report(), deps.publicUrl());
    res.type('application/pdf').setHeader('Content-Disposition', 'inline; filename="reclaim-conference-report.pdf"');
    res.send(pdf);
  });
  router.use(apiErrorHandler);
  return router;
}

/** Sets the ETag; true (and a 304 sent) when the client holds these bytes already. */
function notModified(req: Request, res: Response, etag: string): boolean {
  res.setHeader('ETag', etag);
  const held = req.get('if-none-match');
  if (held && held.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    res.status(304).end();
    return true;
  }
  return false;
}
