import type { CommandName, Commands, HttpRoute } from './commands.js';
import {
  GROUP_SHOWN_MIN,
  JOIN_CODE_LENGTH,
  NEW_IDEAS_PER_WINDOW,
  NEW_IDEAS_WINDOW_MS,
  PASSWORD_MIN,
  REPORTS_TO_HIDE,
  type ErrorCode,
} from './vocabulary.js';

/**
 * What the API reference says of a command besides its schemas, its caller and its route: a line,
 * the rules a client should know, and the refusals its services add to those the table implies
 * (server/transport/openapi.ts derives BAD_REQUEST, the refusals of `who`, NOT_FOUND for an id in the input,
 * FORBIDDEN for a foreign origin and UNAVAILABLE for writes).
 */
export interface CommandDoc {
  /** One line, a sentence without its full stop. */
  summary: string;
  /** Markdown. */
  description?: string;
  /** Why a command answers with these codes, added to the derived reasons: RATE_LIMITED only where a limit applies. */
  errors?: Partial<Record<ErrorCode, string>>;
}

/** The commands a client can reach: a REST route or a socket command. Page-only ones need no entry. */
export type DocumentedCommand = {
  [N in CommandName]: Commands[N] extends { http: HttpRoute } | { socket: true } ? N : never;
}[CommandName];

const IDEAS_WINDOW_MINUTES = NEW_IDEAS_WINDOW_MS / 60_000;
const SIGNED_IN_SESSION = 'Answers in a new session (the cookie is set again): the session the browser held ends.';
const COMES_ALONG = 'A guest session\u2019s ideas, votes and reports come along (an idea both had voted for keeps one vote).';

/** One entry per command of the API; the compiler asks for one when a row gains a route or a socket. */
export const COMMAND_DOCS = {
  'session:get': {
    summary: 'Who the caller is',
    description: 'Starts a guest session, and sets its cookie, when the request carries none: call it first, before any write or socket.',
  },
  'session:end': {
    summary: 'End this browser\u2019s session',
    description: 'The cookie is cleared, and every socket opened with the session is disconnected, on every server.',
  },
  'facilitator:sign-in': {
    summary: 'Become a facilitator with the conference-day code',
    description: `A new session for the same person with \`role: "facilitator"\`, for 12 hours past its last use. ${SIGNED_IN_SESSION}`,
    errors: { FORBIDDEN: 'That is not the facilitator code.', RATE_LIMITED: '5 tries per person per 10 minutes, fewer while many wrong codes arrive.' },
  },
  'areas:list': { summary: 'The five challenge areas, with their questions and idea counts' },
  'ideas:list': {
    summary: 'A page of ideas on the board',
    description:
      'Sorted by `top` (most votes), `trending` (recent votes and comments weigh more), `new`, `discussed` or `random` (stable for one visitor: the session\u2019s person, or `seed`). Pass `next` back as `cursor` for the following page.',
  },
  'ideas:similar': {
    summary: 'Ideas like a text being typed',
    description: 'Up to 5 ideas on the board like `text`, so a person can vote for one of them instead of posting a duplicate.',
  },
  'idea:get': {
    summary: 'One idea on the board',
    description: 'A merged duplicate answers with `mergedInto`, the idea it now counts towards.',
  },
  'idea:create': {
    summary: 'Put an idea forward',
    description:
      '`pending` while staff review new posts: the idea then reaches the board once a moderator publishes it. A member may post without their name this once (`anonymous`); unset, their profile decides.',
    errors: { RATE_LIMITED: `${NEW_IDEAS_PER_WINDOW} ideas per person per ${IDEAS_WINDOW_MINUTES} minutes (and many more per network).` },
  },
  'idea:edit': {
    summary: 'Reword an idea',
    description: 'Its author only; send `title`, `body` or both.',
    errors: { FORBIDDEN: 'Not its author, or new ideas are under review just now.' },
  },
  'idea:withdraw': {
    summary: 'Take one\u2019s own idea off the board',
    errors: { FORBIDDEN: 'Not its author.' },
  },
  'vote:cast': {
    summary: 'Vote for an idea',
    description:
      'Idempotent: voting twice is one vote. With a live session\u2019s `code`, the vote counts in that session: refused unless it is open and the idea in it.',
    errors: {
      FORBIDDEN: 'A guest, while the board (or the session) counts members\u2019 votes only; the session is paused or closed.',
      NOT_FOUND: 'With `code`: the idea is not in that session.',
      RATE_LIMITED: '300 votes per person a minute.',
    },
  },
  'vote:retract': {
    summary: 'Withdraw one\u2019s vote',
    description: 'Idempotent. With a live session\u2019s `code`, refused unless it is open and the idea in it.',
    errors: {
      FORBIDDEN: 'A guest, while the board (or the session) counts members\u2019 votes only; the session is paused or closed.',
      NOT_FOUND: 'With `code`: the idea is not in that session.',
      RATE_LIMITED: '300 votes per person a minute.',
    },
  },
  'idea:report': {
    summary: 'Report an idea',
    description: `Reporting twice is one report (the first reason stands). The ${ordinal(REPORTS_TO_HIDE)} person\u2019s report takes the idea down until a moderator looks (\`hidden: true\`); once a moderator has put it back, reports alone no longer take it down.`,
    errors: { RATE_LIMITED: '20 reports per person per 10 minutes.' },
  },
  'moderation:queue': {
    summary: 'The staff queue',
    description:
      'One queue: ideas held for review, reported or taken down; comments likewise; analysis sent in and organisations asking to join, waiting first. It shows who really posted (private e-mails are for staff only). Also the board\u2019s two switches.',
  },
  'moderation:log': {
    summary: 'The public moderation log',
    description:
      'Every take-down, confirmation, restore, hold, publication, decline, merge, void, suspension and appeal decision, newest first, 50 a page: when, the action, the rule or reason category, who decided as a role or a rule (`reports`, `screening`, `moderator`, `facilitator`, `admin`), and the item. No names, no e-mails; `title` is null (shown as \u201c[removed post]\u201d) where the words were the abuse. Pass `next` back as `cursor` for older entries. `GET /api/moderation/log.csv` gives the whole log as CSV.',
  },
  'idea:appeal': {
    summary: 'Appeal against an idea being taken down, held or declined',
    description: 'Its author only, once, with up to 500 characters; the appeal waits in the staff queue, and its outcome goes into the public log. A suspended author may still appeal.',
    errors: { FORBIDDEN: 'Not the idea’s author, or appealed already.', BAD_REQUEST: 'The idea is on the board: nothing to appeal.' },
  },
  'comment:appeal': {
    summary: 'Appeal against a comment being taken down or held',
    description: 'Its author only, once, with up to 500 characters; as `idea:appeal`.',
    errors: { FORBIDDEN: 'Not the comment’s author, or appealed already.', BAD_REQUEST: 'The comment is up: nothing to appeal.' },
  },
  'moderation:appeal-decide': {
    summary: 'Grant or refuse an appeal',
    description:
      'Once per appeal. `grant` puts the item back on the board (a held one is published); `refuse` leaves it off; `note` is shown to the author. The moderator who took the item down may not decide its appeal while another staff member exists. Logged as `appeal-granted` or `appeal-refused`.',
    errors: { FORBIDDEN: 'You made the decision appealed against, and other staff can decide.', BAD_REQUEST: 'Decided already.' },
  },
  'moderation:suspend': {
    summary: 'Suspend the author of an idea or a comment',
    description:
      'For `hours` 1, 24 or 168, or `"permanent"`, with a reason category. Their writes then answer 403 `SUSPENDED` with `until`; they can still read, sign out and appeal; their held items stay held. `network: true` (guests only) also stops every guest on the network the post came from: in a hall, that may be everyone on its Wi-Fi. Logged as `suspend`.',
    errors: { FORBIDDEN: 'The author is staff.', BAD_REQUEST: 'Yourself, or a network asked for a post without one.' },
  },
  'moderation:lift': { summary: 'Lift a suspension', description: 'Admins only; the person can write again at once, on every server. Logged as `lift`.' },
  'moderation:search': { summary: 'Find any idea on the board by its words', description: 'To take down one nobody reported.' },
  'moderation:settings': {
    summary: 'Flip the board\u2019s switches',
    description: '`reviewNewIdeas`: new ideas and comments wait for a moderator; `voting`: `everyone`, or `members` only.',
  },
  'idea:publish': { summary: 'Publish an idea held for review' },
  'idea:hide': { summary: 'Take an idea down' },
  'idea:restore': { summary: 'Put a taken-down idea back, with its votes', description: 'Reports alone can no longer take it down.' },
  'auth:signup': {
    summary: 'Create an account',
    description: `Passwords: ${PASSWORD_MIN}+ characters and not one of the commonest (stored with argon2id). ${COMES_ALONG} Sends a link to confirm the address. ${SIGNED_IN_SESSION}`,
    errors: { BAD_REQUEST: 'The address has an account already, or the password is a common one.', RATE_LIMITED: '20 new accounts per network an hour.' },
  },
  'auth:signin': {
    summary: 'Sign in',
    description: `A wrong password and an unknown address get the same answer, after the same time; repeated failures slow the next try. ${COMES_ALONG} ${SIGNED_IN_SESSION}`,
    errors: { UNAUTHENTICATED: 'Wrong e-mail or password.', RATE_LIMITED: '10 tries per address and 60 per network per 15 minutes.' },
  },
  'auth:signout': {
    summary: 'Sign out',
    description: 'As `DELETE /api/session`: the session ends with its sockets, and the cookie is cleared.',
  },
  'auth:signout-everywhere': { summary: 'End every session of this account', description: 'On every device, with their sockets.' },
  'auth:password': {
    summary: 'Change one\u2019s password',
    description: 'Every other session of the account ends.',
    errors: { FORBIDDEN: '`current` is not the current password.', BAD_REQUEST: 'The new password is a common one.' },
  },
  'auth:reset-request': {
    summary: 'Ask for a password reset link',
    description: 'The same answer whether or not the address has an account; the link, if any, goes by e-mail.',
    errors: { RATE_LIMITED: '3 links per address and 20 per network an hour.' },
  },
  'auth:reset': {
    summary: 'Set a new password with a reset link',
    description: `A link works once: every session of the account ends, and this browser is signed in. ${SIGNED_IN_SESSION}`,
    errors: { NOT_FOUND: 'The link has been used already or has expired.' },
  },
  'auth:verify': {
    summary: 'Confirm an e-mail address with the link sent to it',
    errors: { NOT_FOUND: 'The link has been used already or has expired.' },
  },
  'profile:get': { summary: 'One\u2019s own profile' },
  'profile:update': {
    summary: 'Change one\u2019s name, anonymity or stakeholder group',
    description: '`anonymous`: post without the name by default (staff still see who); `group`: the stakeholder group results are broken down by.',
  },
  'profile:organisation': {
    summary: 'Say one speaks for an organisation of the campaign',
    description: 'An admin confirms it before the name shows beside one\u2019s posts.',
    errors: { NOT_FOUND: 'Not one of the campaign\u2019s organisations.' },
  },
  'organisations:list': { summary: 'The organisations behind the campaign', description: 'In the campaign\u2019s order, then by joining.' },
  'admin:users': { summary: 'Find members by name or e-mail' },
  'admin:role': {
    summary: 'Grant or revoke a staff role',
    description: 'The person\u2019s open tabs reconnect with the new role.',
    errors: { BAD_REQUEST: 'The last admin cannot step down.' },
  },
  'admin:affiliation': { summary: 'Approve or decline an affiliation someone asked for', errors: { NOT_FOUND: 'That person has no request waiting.' } },
  'tallies:split': { summary: 'Each idea\u2019s votes from members and from guests', description: 'Comma-separated `ideaIds` in the query; staff see a burst of guest votes.' },
  'evidence:list': { summary: 'The evidence library', description: 'Optionally only the items bearing on one area.' },
  'evidence:create': { summary: 'Add a finding to the library', description: 'Links only `http(s)://`.' },
  'evidence:update': {
    summary: 'Edit a finding',
    description: 'A `source` given replaces the old one whole. Editing a retired item brings it back.',
  },
  'evidence:retired': { summary: 'Findings taken off the library', description: 'For staff to bring back by editing them.' },
  'evidence:retire': { summary: 'Take a finding off the library', description: 'Kept for the record; editing it brings it back.' },
  'evidence:submit': {
    summary: 'Send the campaign some analysis',
    description: 'Into the staff queue; public only once a moderator publishes it. The e-mail is for staff only, never shown publicly; links only `http(s)://`.',
    errors: { RATE_LIMITED: '10 forms (analysis or requests to join) per person an hour.' },
  },
  'evidence:publish': { summary: 'Publish analysis sent in, into the library', description: 'With the areas it bears on: their pages show it beside their ideas.' },
  'evidence:decline': { summary: 'Decline analysis sent in', description: 'Its sender sees the reason.' },
  'organisations:request': {
    summary: 'Ask for an organisation to join the campaign',
    description: 'Pending until staff decide. The e-mail is for staff only, never shown publicly; links only `http(s)://`.',
    errors: { RATE_LIMITED: '10 forms (analysis or requests to join) per person an hour.' },
  },
  'organisations:approve': {
    summary: 'Approve an organisation onto the supporters\u2019 page',
    description: 'Every screen hears `supporters:changed`.',
  },
  'organisations:decline': { summary: 'Decline a request to join' },
  'organisations:update': { summary: 'Edit an organisation\u2019s words or website' },
  'conference:get': { summary: 'When and where the conference is, and what it is about' },
  'conference:update': { summary: 'Edit the conference\u2019s date, place or description', description: 'Written as staff want them shown ("Saturday 11 July 2026").' },
  'comments:list': { summary: 'An idea\u2019s discussion', description: 'Best first within each stance, and the lead argument for and against.' },
  'comment:create': {
    summary: 'Comment on an idea',
    description: 'An argument `for` or `against`, or a `question`. A reply (`parentId`) is one level deep: to a comment on the same idea that is not itself a reply. `pending` while staff review new posts.',
    errors: { RATE_LIMITED: '10 comments per person per 10 minutes.' },
  },
  'comment:helpful': { summary: 'Mark a comment helpful', description: 'One mark per person; idempotent.', errors: { RATE_LIMITED: '300 marks per person a minute.' } },
  'comment:unhelpful': { summary: 'Take one\u2019s helpful mark back', description: 'Idempotent.', errors: { RATE_LIMITED: '300 marks per person a minute.' } },
  'comment:report': {
    summary: 'Report a comment',
    description: `As for ideas: the ${ordinal(REPORTS_TO_HIDE)} person\u2019s report takes it down until a moderator looks.`,
    errors: { RATE_LIMITED: '20 reports per person per 10 minutes.' },
  },
  'comment:hide': { summary: 'Take a comment down' },
  'comment:restore': { summary: 'Put a taken-down comment back' },
  'comment:publish': { summary: 'Publish a comment held for review' },
  'idea:merge': {
    summary: 'Merge a duplicate into another idea',
    description: 'The duplicate counts towards `into`: its voters once, its comments alongside. Reversible.',
    errors: { NOT_FOUND: 'Both ideas must be on the board.' },
  },
  'idea:unmerge': { summary: 'Undo a merge' },
  'idea:status': {
    summary: 'Move an idea along in the campaign',
    description: '`new`, `discussing`, `shortlisted`, `in-report` or `adopted`; its voters and commenters are notified.',
  },
  'idea:watch': { summary: 'Follow an idea page\u2019s discussion', description: 'Then `comment:*` for this idea, until the socket watches another page.' },
  'notifications:list': { summary: 'One\u2019s notifications', description: 'Ideas one voted for or discussed changed status or were merged.' },
  'notifications:read': { summary: 'Mark every notification read' },
  'live:create': {
    summary: 'Open a live session for the hall',
    description: `Its areas or hand-picked \`ideaIds\`; whether the room may add ideas; who may vote. The join code has ${JOIN_CODE_LENGTH} letters and digits, none that read alike (0/O, 1/I/L), typed in any case.`,
    errors: { NOT_FOUND: 'A picked idea is not on the board.', UNAVAILABLE: 'No free join code was found: try again.' },
  },
  'live:list': { summary: 'The live sessions, with their state' },
  'live:get': { summary: 'A live session: its state and ideas', description: 'Votes are null while counts are hidden from the room (facilitators still see them).' },
  'live:join': {
    summary: 'Join a live session\u2019s screens',
    description: 'Then `live:state`, the session\u2019s tallies (none while counts are hidden, except for facilitators) and, to facilitators, `live:pending`.',
  },
  'live:control': {
    summary: 'Run a live session',
    description: 'Open, pause or close voting (closing freezes the results), spotlight an idea, hide or reveal counts, run a countdown, mark ideas discussed or hide them, approve ideas from the room, switch the big screen\u2019s view. Each control is numbered by `seq`.',
    errors: { NOT_FOUND: 'The idea is not in the session.', UNAVAILABLE: 'Other facilitators are changing the session right now: try again.' },
  },
  'live:idea': {
    summary: 'Put an idea forward from the hall',
    description: 'Held for a facilitator: it reaches no screen before they approve it.',
    errors: { FORBIDDEN: 'The session takes votes only, or has closed.', RATE_LIMITED: `${NEW_IDEAS_PER_WINDOW} ideas per person per ${IDEAS_WINDOW_MINUTES} minutes.` },
  },
  'live:results': {
    summary: 'A live session\u2019s ranking',
    description: `Frozen when voting closed (\`final\`), as it stands before. Once final, votes by stakeholder group: a group with fewer than ${GROUP_SHOWN_MIN} votes on an idea is folded into \`other\`, and \`unsaid\` counts guests and members who named none. \`GET /api/live/{code}/results.csv\` gives the same as a spreadsheet.`,
  },
  'board:watch': {
    summary: 'Watch a board (an area, or the whole board)',
    description: 'The top 500 ideas with their counts; then `idea:*`, `tally:changed` and `areas:changed` for it. Watching another board leaves the previous one.',
  },
  'areas:watch': { summary: 'Watch only the areas\u2019 idea counts', description: 'Then `areas:changed`, for pages that show no ideas.' },
  'moderation:watch': { summary: 'Hear when the staff queue changes', description: 'Then `moderation:changed`.' },
} satisfies Record<DocumentedCommand, CommandDoc>;

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth'][n - 1] ?? `${n}th`;
}
