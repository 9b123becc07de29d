import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipDirectory } from './deterministic-zip';

export interface LambdaArtifact {
  /** The zip on disk, under a directory named by its hash (content-addressed, so concurrent synths agree). */
  path: string;
  /** Hex SHA-256 of the zip: names the S3 object and the asset. */
  sha256Hex: string;
  /** Base64 SHA-256 of the zip: the Lambda function's source_code_hash. */
  sha256Base64: string;
  /** Hex MD5 of the zip: the S3 object's source_hash. */
  md5Hex: string;
}

/** Zips a handler bundle directory deterministically and stages it for a TerraformAsset. */
export function lambdaArtifact(bundleDir: string, fileName: string, stagingRoot = join(tmpdir(), 'lean-ops-artifacts')): LambdaArtifact {
  const zip = zipDirectory(bundleDir);
  const sha256 = createHash('sha256').update(zip).digest();
  const sha256Hex = sha256.toString('hex');
  const dir = join(stagingRoot, sha256Hex);
  const path = join(dir, fileName);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    // Write then rename: another synth reading the same content-addressed path never sees half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, zip);
    renameSync(partial, path);
  }
  return { path, sha256Hex, sha256Base64: sha256.toString('base64'), md5Hex: createHash('md5').update(zip).digest('hex') };
}
