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
 * (server/transport/openapi/errors.ts derives BAD_REQUEST, the refusals of `who`, NOT_FOUND for an
 * id in the input, FORBIDDEN for a foreign origin and UNAVAILABLE for writes).
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
const REPHRASE_POST = 'Word screening refused a word to rephrase: `terms` lists the words as written; reword them and send again.';
const HELD = 'Word screening holds a post with a word people use about themselves or quote from abuse (`pending: true`): a moderator reads it first.';
const REPHRASE_NAME = 'Word screening refused the name (`terms`): names are shown at once, so one with a word to rephrase or to hold is refused.';
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
      `\`pending\` while staff review new posts: the idea then reaches the board once a moderator publishes it. ${HELD} A member may post without their name this once (\`anonymous\`); unset, their profile decides.`,
    errors: { REPHRASE: REPHRASE_POST, RATE_LIMITED: `${NEW_IDEAS_PER_WINDOW} ideas per person per ${IDEAS_WINDOW_MINUTES} minutes (and many more per network).` },
  },
  'idea:edit': {
    summary: 'Reword an idea',
    description: 'Its author only; send `title`, `body` or both. New words word screening holds take the idea off the board (`pending: true`) until a moderator publishes it again, with its votes.',
    errors: { FORBIDDEN: 'Not its author, or new ideas are under review just now.', REPHRASE: REPHRASE_POST },
  },
  'idea:withdraw': {
    summary: 'Take one\u2019s own idea off the board',
    errors: { FORBIDDEN: 'Not its author.' },
  },
  'vote:cast': {
    summary: 'Vote for an idea',
    description:
      'Idempotent: voting twice is one vote. With a live session\u2019s `code`, the vote is the room\u2019s: it counts in that session\u2019s round under way only (never on the board, nor in another session or round), refused unless voting is open and the idea in it; `votes` is then the room\u2019s count, null while counts are hidden from the room.',
    errors: {
      FORBIDDEN: 'A guest, while the board (or the session) counts members\u2019 votes only; the session is paused or closed.',
      NOT_FOUND: 'With `code`: the idea is not in that session.',
      RATE_LIMITED: '300 votes per person a minute.',
    },
  },
  'vote:retract': {
    summary: 'Withdraw one\u2019s vote',
    description: 'Idempotent. With a live session\u2019s `code`, withdraws the room vote of its round under way; refused unless voting is open and the idea in it.',
    errors: {
      FORBIDDEN: 'A guest, while the board (or the session) counts members\u2019 votes only; the session is paused or closed.',
      NOT_FOUND: 'With `code`: the idea is not in that session.',
      RATE_LIMITED: '300 votes per person a minute.',
    },
  },
  'idea:report': {
    summary: 'Report an idea',
    description: `Reporting twice is one report (the first reason stands). Reports are weighed: a member\u2019s, or a guest session\u2019s a day old, counts 1; a guest session minutes old counts little; guests on one network count about as one. At the staff\u2019s threshold (${REPORTS_TO_HIDE} by default) the idea is taken down until a moderator looks (\`hidden: true\`); under it, it stays up and waits in the staff queue. Once a moderator has put it back, reports alone no longer take it down.`,
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
  'moderation:terms': {
    summary: 'Word screening\u2019s list',
    description: 'The built-in words (`builtIn`, with what they do by default: `standard`) and the terms staff added, each with its `action`: `rephrase` (refused with the words), `hold` (a moderator reads it first) or `allow` (never matched, nor anything inside it). `GET /api/moderation/terms.csv` gives it as a spreadsheet.',
  },
  'moderation:term-put': {
    summary: 'Add a screening term, or change what one does',
    description: 'Letters, digits, spaces, apostrophes and hyphens; `|` at an end keeps to a word\u2019s edge there. Leet-speak and look-alike letters in posts are caught. Every server uses it at once.',
  },
  'moderation:term-delete': { summary: 'Remove a screening term', description: 'A built-in word goes back to what it does by default (`now`).', errors: { NOT_FOUND: 'The term is not on the list, or is a built-in word staff never changed.' } },
  'moderation:terms-test': { summary: 'What word screening makes of a text', description: '`action`: `pass`, `hold` or `rephrase`; `terms`: the words as written that decided it; `hits`: every word found and its term.' },
  'moderation:terms-import': {
    summary: 'Import screening terms from CSV',
    description: 'Rows `term,action` (a header row and further columns are ignored; up to 2000 rows). Each row is checked on its own: `rejected` names the lines not taken and why.',
  },
  'moderation:flags': {
    summary: 'Vote bursts flagged live',
    description:
      'Bursts of votes for one idea, open ones first: from one network (`basis: network`), or from sessions younger than a minute whose only vote it is (`fresh-sessions`), far faster than for any other idea. Votes are never refused by network (a hall shares one address); staff void a flag\u2019s votes instead. Live: `flags:changed` after `moderation:watch`.',
  },
  'flag:void': {
    summary: 'Void a flag\u2019s votes',
    description:
      'Its votes stay stored but stop counting on every screen, in rankings and in live results (which say how many were voided). Voiding again also voids the flag\u2019s votes cast since. `voided`: how many of its votes are voided now. Logged in the public moderation log.',
  },
  'flag:unvoid': { summary: 'Count a flag\u2019s voided votes again', description: 'Undoes `flag:void`; `voided` is then 0. Logged too.' },
  'idea:publish': { summary: 'Publish an idea held for review' },
  'idea:hide': { summary: 'Take an idea down' },
  'idea:restore': { summary: 'Put a taken-down idea back, with its votes', description: 'Reports alone can no longer take it down.' },
  'idea:confirm': { summary: 'Confirm a take-down', description: 'The idea stays down and leaves the queue; the public moderation log records it.' },
  'auth:signup': {
    summary: 'Create an account',
    description: `Passwords: ${PASSWORD_MIN}+ characters and not one of the commonest (stored with argon2id). ${COMES_ALONG} Sends a link to confirm the address. ${SIGNED_IN_SESSION}`,
    errors: { BAD_REQUEST: 'The address has an account already, or the password is a common one.', REPHRASE: REPHRASE_NAME, RATE_LIMITED: '20 new accounts per network an hour.' },
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
  'profile:export': { summary: 'Everything one contributed, as JSON', description: 'Profile, ideas, comments, votes (which ideas, when) and reports.' },
  'profile:delete': {
    summary: 'Delete one\u2019s account',
    description: '`keepPosts`: true keeps one\u2019s ideas and comments up as "Former participant"; false takes them off every screen. Votes stay as anonymous counts. Every session of the account ends; the address can sign up again.',
  },
  'profile:update': {
    summary: 'Change one\u2019s name, anonymity or stakeholder group',
    description: '`anonymous`: post without the name by default (staff still see who); `group`: the stakeholder group results are broken down by.',
    errors: { REPHRASE: REPHRASE_NAME },
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
    description: 'Into the staff queue; public only once a moderator publishes it. The e-mail is for staff only, never shown publicly; links only `http(s)://`. Words word screening would hold are marked for staff.',
    errors: { REPHRASE: REPHRASE_POST, RATE_LIMITED: '10 forms (analysis or requests to join) per person an hour.' },
  },
  'evidence:publish': { summary: 'Publish analysis sent in, into the library', description: 'With the areas it bears on: their pages show it beside their ideas.' },
  'evidence:decline': { summary: 'Decline analysis sent in', description: 'Its sender sees the reason.' },
  'organisations:request': {
    summary: 'Ask for an organisation to join the campaign',
    description: 'Pending until staff decide. The e-mail is for staff only, never shown publicly; links only `http(s)://`. Words word screening would hold are marked for staff.',
    errors: { REPHRASE: REPHRASE_POST, RATE_LIMITED: '10 forms (analysis or requests to join) per person an hour.' },
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
    description: `An argument \`for\` or \`against\`, or a \`question\`. A reply (\`parentId\`) is one level deep: to a comment on the same idea that is not itself a reply. \`pending\` while staff review new posts. ${HELD}`,
    errors: { REPHRASE: REPHRASE_POST, RATE_LIMITED: '10 comments per person per 10 minutes.' },
  },
  'comment:helpful': { summary: 'Mark a comment helpful', description: 'One mark per person; idempotent.', errors: { RATE_LIMITED: '300 marks per person a minute.' } },
  'comment:unhelpful': { summary: 'Take one\u2019s helpful mark back', description: 'Idempotent.', errors: { RATE_LIMITED: '300 marks per person a minute.' } },
  'comment:report': {
    summary: 'Report a comment',
    description: 'Weighed as reports on ideas are: at the staff\u2019s threshold the comment is taken down until a moderator looks.',
    errors: { RATE_LIMITED: '20 reports per person per 10 minutes.' },
  },
  'comment:hide': { summary: 'Take a comment down' },
  'comment:restore': { summary: 'Put a taken-down comment back' },
  'comment:publish': { summary: 'Publish a comment held for review' },
  'comment:confirm': { summary: 'Confirm a comment\u2019s take-down', description: 'The comment stays down and leaves the queue; the public moderation log records it.' },
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
    summary: 'Prepare a live session for the hall',
    description: `Made as a \`draft\`: not listed and not joinable until the \`publish\` control; its settings change with \`PATCH /api/live/{code}\` meanwhile. Its areas or hand-picked \`ideaIds\`; whether the room may add ideas; who may vote. The join code has ${JOIN_CODE_LENGTH} letters and digits, none that read alike (0/O, 1/I/L), typed in any case.`,
    errors: { NOT_FOUND: 'A picked idea is not on the board.', UNAVAILABLE: 'No free join code was found: try again.' },
  },
  'live:edit': {
    summary: 'Change a draft session',
    description: 'Its title, areas or hand-picked `ideaIds`, whether the room may add ideas, who may vote; what is not given stays. Only a draft: a published session is duplicated instead.',
    errors: { BAD_REQUEST: 'The session is no longer a draft.', NOT_FOUND: 'No such session, or a picked idea is not on the board.' },
  },
  'live:delete': { summary: 'Delete a draft session', description: 'Only a draft: a session that has run is archived, and its results stay.', errors: { BAD_REQUEST: 'The session is no longer a draft.' } },
  'live:duplicate': { summary: 'Copy a session', description: 'A new draft with the same ideas and rules, titled \u201cCopy of \u2026\u201d; its votes and results start afresh.' },
  'live:list': { summary: 'The live sessions, with their state', description: 'Published sessions that are not archived; facilitators see their drafts and archived sessions too. `live.counts` is null here.' },
  'live:get': {
    summary: 'A live session: its state and ideas',
    description: 'Votes are the room\u2019s own in the round under way (frozen once it closed), null while counts are hidden from the room (facilitators still see them). A draft is not found but by facilitators. Looking codes up is limited per network, so codes cannot be guessed.',
  },
  'live:join': {
    summary: 'Join a live session\u2019s screens',
    description: 'Then `live:state`, the room\u2019s tallies (none while counts are hidden, except for facilitators) and, to facilitators, `live:pending`. The hall stays joined from round to round. A draft is not found but by facilitators; joining is limited per network.',
  },
  'live:control': {
    summary: 'Run a live session',
    description:
      '`publish` a draft; open, pause or close voting (closing freezes the round\u2019s results for good); `new-round {title?, areas?, ideaIds?}` starts the next round at 0 with its own ideas (by default the last round\u2019s), the hall still joined; `countdown {seconds, atZero}` runs a countdown whose zero does nothing, pauses (the default) or closes; `archive` takes a session off the lists (its results stay). Also spotlight an idea, hide or reveal counts, mark ideas discussed or hide them, approve ideas from the room, switch the big screen\u2019s view. Each control is numbered by `seq`.',
    errors: { NOT_FOUND: 'The idea is not in the session.', UNAVAILABLE: 'Other facilitators are changing the session right now: try again.' },
  },
  'live:idea': {
    summary: 'Put an idea forward from the hall',
    description: 'Held for a facilitator: it reaches no screen before they approve it.',
    errors: { FORBIDDEN: 'The session takes votes only, or has closed.', REPHRASE: REPHRASE_POST, RATE_LIMITED: `${NEW_IDEAS_PER_WINDOW} ideas per person per ${IDEAS_WINDOW_MINUTES} minutes.` },
  },
  'live:results': {
    summary: 'A live session\u2019s rankings, round by round',
    description: `\`rounds\`: every round, first to last, each frozen when it closed (\`closedAt\`) and as it stands before; \`final\`, \`closedAt\`, \`rows\` and \`groups\` repeat the last round. \`votes\` are the room\u2019s (cast with the session\u2019s code in that round), \`online\` the idea\u2019s votes on the board as they stood at close: never added together. Discussed ideas keep their rank (\`discussed\`); equal votes share one (1, 2, 2, 4). Once final, votes by stakeholder group: a group with fewer than ${GROUP_SHOWN_MIN} votes on an idea is folded into \`other\`, and \`unsaid\` counts guests and members who named none. \`GET /api/live/{code}/results.csv\` gives the same as a spreadsheet.`,
  },
  'results:get': {
    summary: 'The campaign\u2019s results',
    description: `Per challenge the top ideas with the board\u2019s votes (\`online\`) and the rooms\u2019 (\`room\`: votes cast in live sessions\u2019 own ballots, every round together), comments, arguments for and against, status and the lead argument each way; the charts\u2019 data (the top ideas\u2019 votes over time, members against guests, stakeholder groups with groups under ${GROUP_SHOWN_MIN} votes folded), drawn at most once a minute (\`chartsAt\`); and every sealed round.`,
  },
  'report:get': {
    summary: 'The conference report',
    description: 'The campaign, its challenges and top ideas with the strongest argument each way, each closed session\u2019s frozen results and seal, evidence, supporters and the method. `/report` prints it; `/report.pdf` is the same as a PDF.',
  },
  'board:watch': {
    summary: 'Watch a board (an area, or the whole board)',
    description: 'The top 500 ideas with their counts; then `idea:*`, `tally:changed` and `areas:changed` for it. Watching another board leaves the previous one.',
  },
  'areas:watch': { summary: 'Watch only the areas\u2019 idea counts', description: 'Then `areas:changed`, for pages that show no ideas.' },
  'moderation:watch': { summary: 'Hear when the staff queue changes', description: 'Then `moderation:changed`.' },
} satisfies Record<DocumentedCommand, CommandDoc>;
