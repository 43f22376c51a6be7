import { ANONYMOUS } from '../../realtime/vocabulary.js';
import type { Byline } from '../../realtime/schemas/common.js';

export type Cell = string | number | null;
export interface Field {
  name: string;
  /** A Frictionless Table Schema type. */
  type: 'string' | 'integer' | 'datetime' | 'year';
  description: string;
}
export interface Table {
  name: string;
  title: string;
  description: string;
  fields: Field[];
  rows: Record<string, Cell>[];
}

const f = (name: string, type: Field['type'], description: string): Field => ({ name, type, description });

/** Every file's fields: the CSV's columns in order, the JSON's keys, and datapackage.json's schema. */
export const FIELDS = {
  ideas: [
    f('id', 'string', 'The idea\u2019s id; its page is /ideas/<id>.'),
    f('challenge', 'string', 'The challenge (area) it answers: police, platforms, employers, individuals or education.'),
    f('title', 'string', 'The idea in a line, as its author wrote it.'),
    f('body', 'string', 'The idea explained.'),
    f('author', 'string', `The byline as shown: a name, or "${ANONYMOUS}" (guests, and members posting anonymously).`),
    f('organisation', 'string', 'The organisation the author speaks for, when an admin confirmed it; empty otherwise.'),
    f('status', 'string', 'Where it stands in the campaign: new, discussing, shortlisted, in-report or adopted.'),
    f('created_at', 'datetime', 'When it was posted (UTC).'),
    f('votes_online', 'integer', 'Votes on the board, voided votes left out.'),
    f('votes_room', 'integer', 'Votes cast in live sessions\u2019 own ballots (0 while sessions count on the board).'),
    f('votes_members', 'integer', 'Of votes_online, those from members (with an account).'),
    f('votes_guests', 'integer', 'Of votes_online, those from guests (a browser session, no account).'),
    f('comments', 'integer', 'Comments that are up, replies included.'),
    f('arguments_for', 'integer', 'Top-level comments arguing for it.'),
    f('arguments_against', 'integer', 'Top-level comments arguing against it.'),
  ],
  comments: [
    f('id', 'string', 'The comment\u2019s id.'),
    f('idea_id', 'string', 'The idea it is about (ideas.id).'),
    f('parent_id', 'string', 'The comment it replies to; empty for an argument of its own.'),
    f('stance', 'string', 'for, against or question.'),
    f('body', 'string', 'The comment as written.'),
    f('author', 'string', `The byline as shown, or "${ANONYMOUS}".`),
    f('organisation', 'string', 'The organisation the author speaks for, when confirmed.'),
    f('helpful', 'integer', 'How many people marked it helpful.'),
    f('created_at', 'datetime', 'When it was posted (UTC).'),
  ],
  sessions: [
    f('session_code', 'string', 'The live session\u2019s join code.'),
    f('session_title', 'string', 'The session\u2019s title.'),
    f('round', 'integer', 'The round of voting (1 for the first close).'),
    f('closed_at', 'datetime', 'When voting closed and the results were frozen (UTC).'),
    f('rank', 'integer', 'Competition rank: equal votes share a rank.'),
    f('idea_id', 'string', 'The idea (ideas.id).'),
    f('idea_title', 'string', 'The idea\u2019s title when voting closed.'),
    f('challenge', 'string', 'The idea\u2019s challenge.'),
    f('votes', 'integer', 'Its votes when voting closed, voided votes left out.'),
    f('voided', 'integer', 'Votes staff voided (a flagged burst) and left out.'),
    f('groups', 'string', 'Votes by stakeholder group, "group:votes" separated by ";"; groups with fewer than 3 votes are folded into other or unsaid.'),
    f('sealed_sha256', 'string', 'SHA-256 of the round\u2019s sealed results (sealed_url): check that the numbers were never changed.'),
    f('sealed_url', 'string', 'Where the sealed canonical JSON of the round is published.'),
  ],
  evidence: [
    f('id', 'string', 'The item\u2019s id.'),
    f('headline', 'string', 'What it shows, in a line.'),
    f('summary', 'string', 'A summary of the finding.'),
    f('kind', 'string', 'What kind of evidence it is.'),
    f('source_organisation', 'string', 'Who published the source.'),
    f('source_title', 'string', 'The source\u2019s title.'),
    f('source_year', 'year', 'The year it was published, when known.'),
    f('source_url', 'string', 'A link to the source, when there is one.'),
    f('challenges', 'string', 'The challenges it bears on, separated by ";".'),
    f('submitted_by', 'string', 'For analysis sent in by the public: who made it, as they gave it.'),
    f('created_at', 'datetime', 'When it joined the library (UTC).'),
  ],
  organisations: [
    f('slug', 'string', 'The organisation\u2019s short name.'),
    f('name', 'string', 'Its name.'),
    f('about', 'string', 'What it does, in a line.'),
    f('website', 'string', 'Its website.'),
    f('joined_at', 'datetime', 'When it joined the campaign (UTC).'),
  ],
  'moderation-log': [
    f('at', 'datetime', 'When the decision was made (UTC).'),
    f('action', 'string', 'What was decided: take-down, confirm, restore, hold, publish, decline, merge, void\u2026'),
    f('reason', 'string', 'The rule or the report reason it was decided under.'),
    f('by', 'string', 'A role or a rule (reports, screening, moderator, facilitator, admin), never a person.'),
    f('kind', 'string', 'What it was about: idea, comment, submission, organisation-request, vote-flag, suspension.'),
    f('id', 'string', 'The item\u2019s id.'),
    f('title', 'string', 'The item\u2019s title, or "[removed post]" where the words were the abuse.'),
  ],
} satisfies Record<string, Field[]>;

export const bylineName = (author: Byline) => author.name ?? ANONYMOUS;
