// Contract test: the sandbox's Graph shapes against @microsoft/microsoft-graph-types. Most of it
// is checked by `tsc`: a renamed or retyped field on either side fails the typecheck.
import type { Contact, Event, Message, User } from '@microsoft/microsoft-graph-types';
import { type Account, type ResourceGenerator, type StoredItem } from '../../core/types';
import { graphGenerators } from './generate';
import { parsePrefer } from './prefer';
import { renderItem } from './render';
import { userOf } from './routes/me';
import { type GraphContact, type GraphEvent, type GraphMessage, type GraphUser } from './types';

/** `true` only when every field the sandbox emits exists on the official type. */
type OnlyKnownFields<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs> extends never ? true : false;
const messageFields: OnlyKnownFields<GraphMessage, Message> = true;
const eventFields: OnlyKnownFields<GraphEvent, Event> = true;
const contactFields: OnlyKnownFields<GraphContact, Contact> = true;
const userFields: OnlyKnownFields<GraphUser, User> = true;

const account: Account = {
  provider: 'microsoft',
  id: 'b7e0c1de-0000-4000-8000-000000000001',
  email: 'ada@contoso.com',
  seed: 42,
  sizes: { messages: 3, events: 3, contacts: 3 },
  settings: { accessTokenTtlSeconds: 3599, refreshRotation: 'rotate', changeLogLimit: 100 },
  createdAt: Date.parse('2026-01-15T12:00:00Z'),
};
const generators = graphGenerators();
const prefs = parsePrefer(undefined);

function stored<T>(generator: ResourceGenerator<T>, ordinal: number): StoredItem<T> {
  return {
    id: generator.idFor(account, ordinal),
    ordinal,
    seq: 7,
    data: generator.make(account, ordinal, 3),
  };
}

test('every emitted field name exists on the official Graph types', () => {
  expect([messageFields, eventFields, contactFields, userFields]).toEqual([true, true, true, true]);
});

test('rendered items are assignable to Message, Event, Contact and User', () => {
  const message: Message = renderItem(stored(generators.messages, 1), prefs, '#microsoft.graph.message');
  const event: Event = renderItem(stored(generators.events, 1), prefs, '#microsoft.graph.event');
  const contact: Contact = renderItem(stored(generators.contacts, 1), prefs, '#microsoft.graph.contact');
  const user: User = userOf(account);
  expect(message.from?.emailAddress?.address).toMatch(/@/);
  expect(event.start?.timeZone).toBe('UTC');
  expect(event.start?.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/);
  expect(contact.emailAddresses?.[0]?.address).toMatch(/@/);
  expect(user.mail).toBe(account.email);
});

test('ids round-trip through ordinalOf and differ per resource', () => {
  const ids = [generators.messages, generators.events, generators.contacts].map((g) => g.idFor(account, 5));
  expect(new Set(ids).size).toBe(3);
  expect(generators.messages.ordinalOf(account, ids[0] as string)).toBe(5);
  expect(generators.messages.ordinalOf(account, ids[1] as string)).toBeUndefined();
});

test('generation is deterministic per seed and ordinal', () => {
  expect(generators.messages.make(account, 2, 3)).toEqual(generators.messages.make(account, 2, 3));
  expect(generators.messages.make(account, 2, 3)).not.toEqual(generators.messages.make(account, 1, 3));
});
