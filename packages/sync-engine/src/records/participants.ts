import type {
  CalendarEventRecord,
  ContactRecord,
  CrmObjectRecord,
  EmailRecord,
  JsonValue,
  ParticipantRecord,
  ParticipantRole,
} from '@crm-sync/core';
import { normalizeAddress } from '@crm-sync/core';

// The write path and readers normalise alike: the function lives in core (addresses.ts).
export { normalizeAddress };

/** Collects one participant per address, merging the roles (and the first name and answer) it appears with. */
class Participants {
  private readonly byAddress = new Map<string, ParticipantRecord>();

  add(
    raw: string | null | undefined,
    role: ParticipantRole,
    name: string | null = null,
    response: string | null = null,
  ) {
    const address = normalizeAddress(raw);
    if (address === null) return this;
    const known = this.byAddress.get(address);
    if (!known) this.byAddress.set(address, { address, name, roles: [role], response });
    else {
      if (!known.roles.includes(role)) known.roles.push(role);
      known.name ??= name;
      known.response ??= response;
    }
    return this;
  }

  addAll(raws: readonly string[], role: ParticipantRole) {
    for (const raw of raws) this.add(raw, role);
    return this;
  }

  /** Roles sorted, so the same people give the same rows whatever order the headers listed them in. */
  list(): ParticipantRecord[] {
    return [...this.byAddress.values()].map((p) => ({ ...p, roles: [...p.roles].sort() }));
  }
}

export const emailParticipants = (email: EmailRecord): ParticipantRecord[] =>
  new Participants()
    .add(email.fromAddress, 'from')
    .addAll(email.toAddresses, 'to')
    .addAll(email.ccAddresses, 'cc')
    .addAll(email.bccAddresses, 'bcc')
    .list();

const textField = (entry: { [key: string]: JsonValue }, key: string): string | null => {
  const value = entry[key];
  return typeof value === 'string' ? value : null;
};

/**
 * The organiser and the attendees. Attendees are JSON in the record; the provider mappings give each as
 * `{email, name, type, response}` (packages/providers google/map.ts and microsoft/map.ts), and an entry of any
 * other shape is passed over rather than trusted.
 */
export function eventParticipants(event: CalendarEventRecord): ParticipantRecord[] {
  const people = new Participants().add(event.organizer, 'organizer');
  for (const entry of event.attendees) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    people.add(textField(entry, 'email'), 'attendee', textField(entry, 'name'), textField(entry, 'response'));
  }
  return people.list();
}

export const contactParticipants = (contact: ContactRecord): ParticipantRecord[] =>
  new Participants().addAll(contact.emails, 'contact').list();

/** A CRM object that is a person (a HubSpot contact): the addresses its provider mapping read from its properties. */
export const crmObjectParticipants = (object: CrmObjectRecord): ParticipantRecord[] =>
  new Participants().addAll(object.addresses, 'contact').list();
