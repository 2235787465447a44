import { initialPushPlan, type PushPlan, type PushPlanHolder } from '../../core/pushPlan';

/** A Calendar notification channel the sandbox holds (events.watch; docs/providers/google.md#calendar-push). */
export interface CalendarChannel {
  id: string;
  resourceId: string;
  accountId: string;
  address: string;
  token: string | null;
  expiresAt: number;
  /** The last X-Goog-Message-Number sent on the channel (1 is the `sync` message). */
  messageNumber: number;
}

/**
 * A Pub/Sub topic with its push subscription, as configured in Google Cloud (not through Gmail's API): where pushes
 * go, the audience of their OIDC token and the service account it is issued for.
 */
export interface PubSubTopic {
  pushEndpoint: string;
  audience: string;
  serviceAccount: string;
}

/** A mailbox's Gmail watch (users.watch). */
export interface GmailWatch {
  topic: string;
  expiresAt: number;
}

/** One push notice the sandbox sent or dropped, and what the receiver answered (tests read it). */
export interface GooglePushRecord {
  /** `calendar` (a channel notification) or `gmail` (a Pub/Sub push). */
  kind: 'calendar' | 'gmail';
  accountId: string;
  /** The Calendar channel id, or the Pub/Sub message id. */
  id: string;
  state: string;
  status: number | null;
  tookMs: number | null;
}

/** The Google module's channels, push plan and delivery log (one per sandbox). */
export class GooglePushStore implements PushPlanHolder {
  readonly channels = new Map<string, CalendarChannel>();
  readonly topics = new Map<string, PubSubTopic>();
  /** By sandbox account id: a mailbox has one watch at a time. */
  readonly watches = new Map<string, GmailWatch>();
  plan: PushPlan = initialPushPlan();
  readonly sent: GooglePushRecord[] = [];

  /** An account's live Calendar channels; expired ones are forgotten, as Google stops them. */
  liveChannels(accountId: string, now: number): CalendarChannel[] {
    const found: CalendarChannel[] = [];
    for (const channel of this.channels.values()) {
      if (channel.expiresAt <= now) this.channels.delete(channel.id);
      else if (channel.accountId === accountId) found.push(channel);
    }
    return found;
  }
}
