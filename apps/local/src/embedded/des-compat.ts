import crypto from 'node:crypto';

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES ('des'), which OpenSSL 3 only offers in its
 * legacy provider (node --openssl-legacy-provider). DES-CBC with key K equals two-key 3DES-CBC with K||K
 * (E_K(D_K(E_K(x))) = E_K(x)), which the default provider has, so without the flag 'des' is served by that.
 * Only the 'des' algorithm name is touched; with the legacy provider loaded nothing changes.
 */
export function ensureDesCipher(): void {
  if (desAvailable()) return;
  const mod = crypto as unknown as Record<'createCipheriv' | 'createDecipheriv', (...args: unknown[]) => unknown>;
  for (const fn of ['createCipheriv', 'createDecipheriv'] as const) {
    const original = mod[fn];
    if ((original as { desCompat?: boolean }).desCompat) continue;
    const patched = (algorithm: unknown, key: unknown, iv: unknown, ...rest: unknown[]) =>
      algorithm === 'des' && Buffer.isBuffer(key) && key.length === 8
        ? original.call(crypto, 'des-ede-cbc', Buffer.concat([key, key]), iv, ...rest)
        : original.call(crypto, algorithm, key, iv, ...rest);
    (patched as { desCompat?: boolean }).desCompat = true;
    mod[fn] = patched;
  }
}

function desAvailable(): boolean {
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}
