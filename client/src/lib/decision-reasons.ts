/**
 * The reasons moderation decisions are logged with, as people read them: a few words in the public log
 * and the staff queue, a sentence to the author of the item. A reason without words here shows as
 * logged rather than not at all.
 */
const REASONS: Record<string, { short: string; toAuthor: string }> = {
  abuse: { short: 'Abuse or harassment', toAuthor: 'Reported as abuse or harassment.' },
  hate: { short: 'Hate', toAuthor: 'Reported as hate.' },
  personal: { short: 'Personal details', toAuthor: 'It seemed to share someone\u2019s personal details.' },
  spam: { short: 'Spam', toAuthor: 'Reported as spam or advertising.' },
  other: { short: 'Other', toAuthor: 'Reported for another reason than abuse, hate, personal details or spam.' },
  staff: { short: 'Staff decision', toAuthor: 'A moderator decided it does not belong here.' },
  screening: { short: 'Word screening', toAuthor: 'Our word screening held it for a moderator to read.' },
  review: { short: 'New posts reviewed', toAuthor: 'New posts wait for a moderator while the board is reviewed.' },
  'room-review': { short: 'Room review', toAuthor: 'A facilitator did not put it on the screen.' },
  duplicate: { short: 'Duplicate', toAuthor: 'It repeats another idea.' },
  'vote-burst': { short: 'Burst of votes', toAuthor: 'A burst of votes that looked organised.' },
  'vote-manipulation': { short: 'Vote manipulation', toAuthor: 'Votes that looked manipulated.' },
  evasion: { short: 'Evading a suspension', toAuthor: 'Posting around a suspension.' },
  appeal: { short: 'Appeal', toAuthor: 'Decided on appeal.' },
};

export const reasonShort = (reason: string): string => REASONS[reason]?.short ?? reason;
export const reasonToAuthor = (reason: string): string => REASONS[reason]?.toAuthor ?? reason;
