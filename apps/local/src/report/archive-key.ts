/**
 * `quarantine/topic=orders/dt=2026-11-26/<segment>.json` (and the dlq-archive/ twin) -> topic and the id the
 * handler filed the message under (the key segment is keySegment(id): URI-encoded, dots escaped).
 */
export function parseArchiveKey(key: string): { topic: string; id: string } | undefined {
  const m = /^[^/]+\/topic=([^/]+)\/dt=[^/]+\/([^/]+)\.json$/.exec(key);
  const [, topic, id] = m ?? [];
  if (topic === undefined || id === undefined) return undefined;
  try {
    return { topic, id: decodeURIComponent(id) };
  } catch {
    return undefined;
  }
}
