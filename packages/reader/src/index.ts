export {
  ConnectionNotFoundError,
  ContentShreddedError,
  InvalidCursorError,
  InvalidFilterError,
  ReaderError,
  SealedContentError,
} from './errors';
export { KINDS, type Kind, type RecordsByKind } from './kinds';
export type { DeletedItem, Item, LiveItem } from './records';
export {
  ContentReader,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type ReaderOptions,
  type ReadPage,
  type ReadRequest,
} from './reader';
