/**
 * What a read can fail with. Messages name connection ids and kinds (neither is secret), never content, keys or
 * cursor internals beyond what the caller sent.
 */
export class ReaderError extends Error {
  override name = 'ReaderError';
}

/** No connection with this id in the caller's tenant (a connection of another tenant is not found either). */
export class ConnectionNotFoundError extends ReaderError {
  override name = 'ConnectionNotFoundError';
  constructor(readonly connectionId: string) {
    super(`no connection ${connectionId} in this tenant`);
  }
}

/**
 * The connection's data key was shredded (deletion, purge, retention): its synced content is unreadable for good.
 * Other connections read as before.
 */
export class ContentShreddedError extends ReaderError {
  override name = 'ContentShreddedError';
  constructor(readonly connectionId: string) {
    super(`the content of connection ${connectionId} was shredded and can no longer be read`);
  }
}

/** A sealed value failed to open: altered, or moved from another row, table or connection; or not the shape stored. */
export class SealedContentError extends ReaderError {
  override name = 'SealedContentError';
  constructor(
    readonly connectionId: string,
    readonly kind: string,
    readonly rowId: string,
  ) {
    super(
      `the sealed ${kind} row ${rowId} of connection ${connectionId} failed authentication or validation`,
    );
  }
}

/** The cursor is not one this reader issued for this connection and kind. */
export class InvalidCursorError extends ReaderError {
  override name = 'InvalidCursorError';
}

/** A filter the kind does not support, or an unusable value (an address that does not normalise). */
export class InvalidFilterError extends ReaderError {
  override name = 'InvalidFilterError';
}
