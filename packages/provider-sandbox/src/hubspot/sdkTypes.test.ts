// Contract test: the sandbox's HubSpot wire shapes against the @hubspot/api-client models. The
// type-level half fails `tsc` on drift; the runtime half feeds samples through the SDK's own
// deserialiser, as the SDK does with real responses.
import { type CollectionResponseSimplePublicObjectWithAssociationsForwardPaging } from '@hubspot/api-client/lib/codegen/crm/objects';
import { ObjectSerializer as CrmSerializer } from '@hubspot/api-client/lib/codegen/crm/objects/models/ObjectSerializer';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import {
  type AccessTokenInfoResponse,
  type RefreshTokenInfoResponse,
  type TokenResponseIF,
} from '@hubspot/api-client/lib/codegen/oauth';
import { ObjectSerializer as OAuthSerializer } from '@hubspot/api-client/lib/codegen/oauth/models/ObjectSerializer';
import { type Account } from '../core/types';
import { renderObject } from './crm/serialize';
import { hubspotGenerators } from './generate';
import {
  type AccessTokenInfoWire,
  type HubSpotObjectWire,
  type ListResponseWire,
  type RefreshTokenInfoWire,
  type TokenResponseWire,
} from './types';

/** The JSON form of an SDK model: Dates travel as ISO strings. */
type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
type Snake<S extends string> = S extends `${infer H}${infer R}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<R>}`
  : S;
/** OAuth models are camelCase in the SDK and snake_case on the wire. */
type SnakeWire<T> = { [K in keyof T as Snake<K & string>]: Wire<T[K]> };
type OnlyKnownFields<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs> extends never ? true : false;

const knownFields: [
  OnlyKnownFields<HubSpotObjectWire, Wire<SimplePublicObject>>,
  OnlyKnownFields<TokenResponseWire, SnakeWire<TokenResponseIF>>,
  OnlyKnownFields<AccessTokenInfoWire, SnakeWire<AccessTokenInfoResponse>>,
  OnlyKnownFields<RefreshTokenInfoWire, SnakeWire<RefreshTokenInfoResponse>>,
] = [true, true, true, true];

const account: Account = {
  provider: 'hubspot',
  id: '12345678',
  email: 'owner@acme.example',
  seed: 7,
  sizes: { contacts: 2 },
  settings: { accessTokenTtlSeconds: 1800, refreshRotation: 'same', changeLogLimit: 100 },
  createdAt: Date.parse('2026-02-01T00:00:00Z'),
};
const contacts = hubspotGenerators().contacts;
const item = (ordinal: number) => ({
  id: contacts.idFor(account, ordinal),
  ordinal,
  seq: 1,
  data: contacts.make(account, ordinal, 2),
});

test('every emitted field exists on the SDK models', () => {
  expect(knownFields).toEqual([true, true, true, true]);
});

test('a rendered object and list page are SDK-shaped and deserialise with Dates', () => {
  const rendered: HubSpotObjectWire = renderObject('contacts', item(0), undefined);
  const object: Wire<SimplePublicObject> = rendered;
  const wirePage: ListResponseWire = {
    results: [rendered],
    paging: { next: { after: '2', link: 'http://127.0.0.1/crm/v3/objects/contacts?after=2' } },
  };
  const page: Wire<CollectionResponseSimplePublicObjectWithAssociationsForwardPaging> = wirePage;
  const parsed = CrmSerializer.deserialize(
    page,
    'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging',
    '',
  ) as CollectionResponseSimplePublicObjectWithAssociationsForwardPaging;
  expect(parsed.results[0]?.updatedAt).toBeInstanceOf(Date);
  expect(parsed.results[0]?.properties.hs_object_id).toBe(object.id);
  expect(parsed.paging?.next?.after).toBe('2');
});

test('token bodies deserialise into the SDK models with every required field set', () => {
  const wire: TokenResponseWire = {
    access_token: 'a',
    refresh_token: 'r',
    expires_in: 1800,
    token_type: 'bearer',
  };
  const token: SnakeWire<TokenResponseIF> = wire;
  const parsed = OAuthSerializer.deserialize(token, 'TokenResponseIF', '') as TokenResponseIF;
  expect(parsed).toEqual({ accessToken: 'a', refreshToken: 'r', expiresIn: 1800, tokenType: 'bearer' });
});

test('generated contacts are deterministic and ids round-trip', () => {
  expect(contacts.make(account, 1, 2)).toEqual(contacts.make(account, 1, 2));
  expect(contacts.ordinalOf(account, contacts.idFor(account, 1))).toBe(1);
  expect(contacts.ordinalOf(account, 'abc')).toBeUndefined();
});
