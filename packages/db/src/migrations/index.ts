import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { RoundSweep1765000000000 } from './1765000000000-RoundSweep';
import { OneOwnerPerAccount1765000000001 } from './1765000000001-OneOwnerPerAccount';
import { HubspotAssociations1765000000004 } from './1765000000004-HubspotAssociations';

/** Every migration, oldest first. TypeORM orders by the timestamp in the class name. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  RoundSweep1765000000000,
  OneOwnerPerAccount1765000000001,
  HubspotAssociations1765000000004,
];
