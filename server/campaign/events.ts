import type { QueueEvents } from '../platform/bus.js';
import type { ModerationDecision } from '../platform/decisions.js';

/** What the campaign's services publish. */
export interface CampaignEvents extends QueueEvents {
  /** To every screen: the number of organisations behind the campaign. */
  'supporters:changed': { count: number };
  /** Staff approved or edited an organisation here: every other server reads them again. */
  'organisations:changed': undefined;
  /** Staff declined analysis sent in or an organisation's request: for the public moderation log. */
  'moderation:decided': ModerationDecision;
}
