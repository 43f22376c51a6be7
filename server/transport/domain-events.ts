import type { AccountEvents } from '../accounts/events.js';
import type { CampaignEvents } from '../campaign/events.js';
import type { ConferenceEvents } from '../conference/events.js';
import type { DiscussionEvents } from '../discussion/events.js';
import type { ModerationEvents } from '../moderation/events.js';
import type { EventBus } from '../platform/bus.js';
import type { HintEvents } from '../platform/person-hints.js';

/** Every domain's events: what the one bus carries, and what the transport maps to rooms and servers. */
export type DomainEvents = ModerationEvents & DiscussionEvents & ConferenceEvents & CampaignEvents & AccountEvents & HintEvents;
export type DomainBus = EventBus<DomainEvents>;
