/**
 * An address as participants and blind index terms key it: trimmed and lower-cased (providers and senders vary the
 * case of the same mailbox; RFC 5321 §2.4 lets a host treat the local part as case-sensitive, but none of the three
 * providers does, and one person split in two rows is the worse error). Null for anything that is not a plain
 * `local@domain` (Graph gives Exchange-internal senders an X.500 path instead of an address). Here, not in the
 * sync engine, because readers (@crm-sync/reader) must normalise a looked-up address exactly as the write path did.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  const address = (raw ?? '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}
