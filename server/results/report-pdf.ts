import PDFDocument from 'pdfkit';
import { ANONYMOUS, IDEA_PROGRESS, type AreaSlug } from '../../realtime/vocabulary.js';
import type { ConferenceReport, LeadArgument } from '../../realtime/schemas/results.js';

const MARGIN = 56;
const INK = '#1d1d1b';
const MUTED = '#555555';
const ACCENT = '#6b2c91';

const CONTENTS = ['The campaign and its challenges', 'Top ideas by challenge', 'Conference sessions', 'Evidence cited', 'Supporters', 'Method'];

/** The conference report as an A4 PDF, the same contents as /report, made with pdfkit (no browser). */
export function reportPdf(report: ConferenceReport, publicUrl: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `${report.campaign.title}: conference report`, Author: report.campaign.title, Subject: 'Results of the ideas board and the conference sessions' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const heading = (text: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(17).fillColor(ACCENT).text(text, { width }).moveDown(0.3).fillColor(INK);
  const subheading = (text: string) => doc.moveDown(0.5).font('Helvetica-Bold').fontSize(12.5).fillColor(INK).text(text, { width }).moveDown(0.15);
  const body = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.font('Helvetica').fontSize(10.5).fillColor(INK).text(text, { width, ...options });
  const muted = (text: string) => doc.font('Helvetica').fontSize(9.5).fillColor(MUTED).text(text, { width }).fillColor(INK);
  const titleOf = new Map(report.areas.map((a) => [a.slug, a.title]));
  const areaTitle = (slug: AreaSlug) => titleOf.get(slug) ?? slug;

  // Cover and contents.
  doc.font('Helvetica-Bold').fontSize(28).fillColor(ACCENT).text(report.campaign.title, { width });
  doc.moveDown(0.2).font('Helvetica').fontSize(16).fillColor(INK).text('Conference report', { width });
  doc.moveDown(0.6);
  body(`${report.campaign.date} \u00b7 ${report.campaign.place}`);
  doc.moveDown(0.4);
  body(report.campaign.about);
  doc.moveDown(0.4);
  muted(`Made ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC from ${publicUrl}. Open data: ${publicUrl}/open-data. Licence: CC BY 4.0.`);
  subheading('Contents');
  CONTENTS.forEach((title, i) => body(`${i + 1}. ${title}`));

  doc.addPage();
  heading('1. The campaign and its challenges');
  body('The campaign gathers ideas against online abuse in five challenges, debates them online and at the conference, and takes the strongest on into policy.');
  for (const area of report.areas) {
    subheading(area.title);
    body(area.question);
  }

  heading('2. Top ideas by challenge');
  muted('Votes online are the board\u2019s; votes in the room are those cast in live sessions\u2019 own ballots. The strongest argument each way is the one people marked most helpful.');
  for (const area of report.areas) {
    subheading(area.title);
    if (area.ideas.length === 0) body('No ideas yet.');
    area.ideas.forEach((idea, i) => {
      if (doc.y > doc.page.height - MARGIN - 90) doc.addPage();
      doc.moveDown(0.2).font('Helvetica-Bold').fontSize(10.5).text(`${i + 1}. ${idea.title}`, { width });
      muted(`${idea.online} votes online \u00b7 ${idea.room} in the room \u00b7 ${idea.comments} comments (${idea.balance.for} for, ${idea.balance.against} against) \u00b7 ${IDEA_PROGRESS[idea.status]}`);
      argument('For', idea.lead.for);
      argument('Against', idea.lead.against);
    });
  }

  heading('3. Conference sessions');
  if (report.sessions.length === 0) body('No session has closed its voting yet.');
  for (const session of report.sessions) {
    if (doc.y > doc.page.height - MARGIN - 120) doc.addPage();
    subheading(`${session.title} (${session.code})`);
    muted(`Voting closed ${session.closedAt.slice(0, 16).replace('T', ' ')} UTC; the results are frozen.`);
    for (const row of session.rows) body(`${row.rank}. ${row.title} \u2014 ${row.votes} votes${row.voided ? ` (${row.voided} voided)` : ''} \u00b7 ${areaTitle(row.area)}`, { indent: 8 });
    if (session.sealed) {
      doc.moveDown(0.2);
      muted(`Sealed: SHA-256 ${session.sealed.sha256}`);
      muted(`of ${publicUrl}${session.sealed.url}`);
    }
  }

  heading('4. Evidence cited');
  for (const item of report.evidence) {
    if (doc.y > doc.page.height - MARGIN - 50) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(10.5).text(item.headline, { width });
    muted(`${item.source}${item.year ? ` (${item.year})` : ''}${item.url ? ` \u00b7 ${item.url}` : ''}`);
    doc.moveDown(0.2);
  }

  heading('5. Supporters');
  body(report.supporters.map((s) => s.name).join(' \u00b7 ') || 'None yet.');

  heading('6. Method');
  const m = report.method;
  body(`How votes are counted. One vote per person per idea; a vote can be taken back. Counts are derived from the stored votes, never kept as running totals. ${m.votes} votes count on the ideas shown on the board.`);
  doc.moveDown(0.3);
  body(`Guests and members. A guest votes from a browser session without signing up (${m.guests} votes); a member has an account (${m.members} votes). Results by stakeholder group use only the group members chose, and fold any group with fewer than 3 votes into "other", so no one can be picked out.`);
  doc.moveDown(0.3);
  body(`Votes voided. Bursts of votes from one network, or from fresh one-vote sessions, are flagged live; staff voided ${m.voided} vote${m.voided === 1 ? '' : 's'}, which are stored but count nowhere.`);
  doc.moveDown(0.3);
  const down = m.takenDown.reduce((sum, t) => sum + t.count, 0);
  body(`Posts taken down. ${down} decision${down === 1 ? '' : 's'} took a post off the board or kept it off${down ? ':' : '.'}`);
  for (const t of m.takenDown) body(`${t.count} \u00d7 ${t.kind}, ${t.reason}`, { indent: 12 });
  doc.moveDown(0.3);
  body(`Every decision is in the public moderation log, which names roles, never people: ${publicUrl}/moderation-log. Each closed round of a session is sealed: its frozen results are published once as canonical JSON, and the SHA-256 above lets anyone check they were never changed.`);

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: without lifting it, pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8.5).fillColor(MUTED).text(`${report.campaign.title} \u00b7 conference report \u00b7 ${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 6, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;

  function argument(side: string, lead: LeadArgument | null) {
    if (!lead) return;
    doc.font('Helvetica-Bold').fontSize(9.5).fillColor(INK).text(`${side}: `, { width, indent: 12, continued: true }).font('Helvetica-Oblique').text(`\u201c${clip(lead.body)}\u201d \u2014 ${lead.author.name ?? ANONYMOUS}`);
  }
}

const clip = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}\u2026` : text);
