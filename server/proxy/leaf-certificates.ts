import { createSecureContext, type SecureContext } from 'node:tls'

import { createCertificate, newRsaKeyPemAsync } from '../tls/certificates.ts'
import type { LocalCa } from '../tls/local-ca.ts'

/** Enough for every host the proxy intercepts and many `*.azure-apim.net` names; the oldest goes first. */
const MAX_CACHED = 256

/**
 * A TLS context per intercepted host, with a certificate for that host issued by the local CA.
 * Made on first use (its key off the main thread) and cached, so a host costs one key generation.
 */
export function createLeafCertificates(ca: LocalCa, now: () => Date) {
  const contexts = new Map<string, Promise<SecureContext>>()
  const issue = async (host: string): Promise<SecureContext> => {
    const key = await newRsaKeyPemAsync()
    const leaf = createCertificate(
      { commonName: host, notBefore: now(), validDays: 365, issuer: ca, hosts: [host] },
      key,
    )
    return createSecureContext({
      key: leaf.privateKeyPem,
      cert: `${leaf.certificatePem}${ca.certificatePem}`,
    })
  }
  return {
    contextFor(host: string): Promise<SecureContext> {
      let context = contexts.get(host)
      if (!context) {
        if (contexts.size >= MAX_CACHED) contexts.delete(contexts.keys().next().value!)
        context = issue(host)
        contexts.set(host, context)
        context.catch(() => contexts.delete(host))
      }
      return context
    },
    size: () => contexts.size,
  }
}
