/**
 * `quarantine/topic=orders/dt=2026-11-26/<segment>.json` (and the dlq-archive/ twin) -> topic and the id the
 * handler filed the message under (the key segment is keySegment(id): URI-encoded, dots escaped).
 */
export function parseArchiveKey(key: string): { topic: string; id: string } | undefined {
  const m = /^[^/]+\/topic=([^/]+)\/dt=[^/]+\/([^/]+)\.json$/.exec(key);
  if (!m) return undefined;
  try {
    return { topic: m[1], id: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}
