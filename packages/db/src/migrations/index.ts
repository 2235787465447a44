import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { RoundSweep1765000000000 } from './1765000000000-RoundSweep';
import { OneOwnerPerAccount1765000000001 } from './1765000000001-OneOwnerPerAccount';
import { CompletenessAudit1765000000002 } from './1765000000002-CompletenessAudit';
import { MailContent1765000000003 } from './1765000000003-MailContent';
import { HubspotAssociations1765000000004 } from './1765000000004-HubspotAssociations';
import { RateLimitStreak1765000000005 } from './1765000000005-RateLimitStreak';
import { TokenBrokerAudit1765000000006 } from './1765000000006-TokenBrokerAudit';
import { Participants1765000000010 } from './1765000000010-Participants';
import { DeletionRequests1765000000040 } from './1765000000040-DeletionRequests';
import { Outbox1765000000070 } from './1765000000070-Outbox';
import { ExpiryWarnings1765000000071 } from './1765000000071-ExpiryWarnings';
import { DataKeys1765000000100 } from './1765000000100-DataKeys';
import { SealedContent1765000000101 } from './1765000000101-SealedContent';
import { NoticeReplays1765000000130 } from './1765000000130-NoticeReplays';
import { CrmObjectParticipants1765000000160 } from './1765000000160-CrmObjectParticipants';
import { Tasks1765000000170 } from './1765000000170-Tasks';
import { ObjectParticipantsByTerm1765000000171 } from './1765000000171-ObjectParticipantsByTerm';
import { ChangeFeed1765000000180 } from './1765000000180-ChangeFeed';
import { SealedTasksAndMessageIds1765000000181 } from './1765000000181-SealedTasksAndMessageIds';
import { DriveFiles1765000000190 } from './1765000000190-DriveFiles';
import { Writes1765000000200 } from './1765000000200-Writes';
import { PushChannels1765000000210 } from './1765000000210-PushChannels';
import { RefreshTokenLookups1765000000230 } from './1765000000230-RefreshTokenLookups';
import { ConnectionsByMailbox1765000000240 } from './1765000000240-ConnectionsByMailbox';
import { PushChannelStopped1765000000250 } from './1765000000250-PushChannelStopped';
import { WriteObjects1765000000260 } from './1765000000260-WriteObjects';

/** Every migration, oldest first. TypeORM orders by the timestamp in the class name. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  RoundSweep1765000000000,
  OneOwnerPerAccount1765000000001,
  CompletenessAudit1765000000002,
  MailContent1765000000003,
  HubspotAssociations1765000000004,
  RateLimitStreak1765000000005,
  TokenBrokerAudit1765000000006,
  Participants1765000000010,
  DeletionRequests1765000000040,
  Outbox1765000000070,
  ExpiryWarnings1765000000071,
  DataKeys1765000000100,
  SealedContent1765000000101,
  NoticeReplays1765000000130,
  CrmObjectParticipants1765000000160,
  Tasks1765000000170,
  ObjectParticipantsByTerm1765000000171,
  ChangeFeed1765000000180,
  SealedTasksAndMessageIds1765000000181,
  DriveFiles1765000000190,
  Writes1765000000200,
  PushChannels1765000000210,
  RefreshTokenLookups1765000000230,
  ConnectionsByMailbox1765000000240,
  PushChannelStopped1765000000250,
  WriteObjects1765000000260,
];
