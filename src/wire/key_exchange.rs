//! TLS 1.0-1.2's ServerKeyExchange, whose layout depends on the negotiated suite's key exchange
//! (RFC 5246 section 7.4.3, RFC 8422 section 5.4, RFC 4279 and RFC 5489 for the PSK ones).

use super::code_points::{NamedGroup, ProtocolVersion, SignatureScheme};
use super::error::{Error, Need};
use super::handshake::{Context, Read};
use super::reader::Reader;
use super::suites::{facts, Kx};

/// TLS 1.2's ServerKeyExchange, as far as tlsprobe reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerKeyExchange {
    /// The ECDHE group, or `None` for finite-field DHE.
    pub group: Option<NamedGroup>,
    /// Size of the DHE prime in bits, or `None` for ECDHE.
    pub dh_bits: Option<u32>,
    /// `None` before TLS 1.2 (implied by the key) and for an unsigned key exchange.
    pub signature_scheme: Option<SignatureScheme>,
}

/// The key exchange of a TLS 1.0-1.2 cipher suite, as far as its ServerKeyExchange goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyExchange {
    /// Ephemeral elliptic-curve Diffie-Hellman: ECDHE_ECDSA and ECDHE_RSA (signed), ECDH_anon
    /// (not).
    Ecdhe { signed: bool },
    /// Ephemeral finite-field Diffie-Hellman: DHE_RSA and DHE_DSS (signed), DH_anon (not),
    /// export variants included.
    Dhe { signed: bool },
    /// ECDHE_PSK: a PSK identity hint, then unsigned ECDHE parameters.
    EcdhePsk,
    /// DHE_PSK: a PSK identity hint, then unsigned DHE parameters.
    DhePsk,
    /// One whose ServerKeyExchange we do not decode (RSA_EXPORT, PSK, RSA_PSK, SRP, ...), or
    /// none at all (RSA, static DH and ECDH, KRB5, TLS 1.3 suites, unknown suites).
    Other,
}

/// The key exchange of `suite`, from the table of suite facts.
pub fn key_exchange(suite: u16) -> KeyExchange {
    match facts(suite).map(|f| f.kx) {
        Some(Kx::Ecdhe) => KeyExchange::Ecdhe { signed: true },
        Some(Kx::EcdhAnon) => KeyExchange::Ecdhe { signed: false },
        Some(Kx::Dhe) => KeyExchange::Dhe { signed: true },
        Some(Kx::DhAnon) => KeyExchange::Dhe { signed: false },
        Some(Kx::EcdhePsk) => KeyExchange::EcdhePsk,
        Some(Kx::DhePsk) => KeyExchange::DhePsk,
        _ => KeyExchange::Other,
    }
}

/// ECParameters.curve_type of a named curve (RFC 8422 section 5.4); the explicit-curve types
/// (1 and 2) are deprecated, and their parameters are not worth decoding.
const NAMED_CURVE: u8 = 3;

/// The fields of a ServerKeyExchange, given what the ServerHello chose. Without a known suite,
/// or for a key exchange we do not decode, there are no fields (and no error).
pub(super) fn server_key_exchange(body: &[u8], ctx: &Context) -> Read<ServerKeyExchange> {
    let Some(suite) = ctx.suite else {
        return Read::nothing();
    };
    let kx = key_exchange(suite.0);
    let (ecdhe, signed) = match kx {
        KeyExchange::Ecdhe { signed } => (true, signed),
        KeyExchange::Dhe { signed } => (false, signed),
        KeyExchange::EcdhePsk => (true, false),
        KeyExchange::DhePsk => (false, false),
        KeyExchange::Other => return Read::nothing(),
    };
    let mut r = Reader::new(body);
    let head = (|| {
        if matches!(kx, KeyExchange::EcdhePsk | KeyExchange::DhePsk) {
            r.vec16().need("psk_identity_hint")?;
        }
        if ecdhe {
            ec_params(&mut r)
        } else {
            dh_params(&mut r)
        }
    })();
    Read::of(head, |out| {
        if out.group.is_none() && out.dh_bits.is_none() {
            return Ok(()); // explicit curve parameters, not read past
        }
        if !signed {
            return r.end("params");
        }
        // The scheme is kept even when the signature after it is cut short.
        out.signature_scheme = signature_scheme(&mut r, ctx.version)?;
        signature(&mut r).map(|_| ())
    })
}

/// The scheme a signed ServerKeyExchange's signature starts with: TLS 1.2 names it; TLS 1.0
/// and 1.1 imply it from the key (None).
pub(super) fn signature_scheme(
    r: &mut Reader<'_>,
    version: Option<ProtocolVersion>,
) -> Result<Option<SignatureScheme>, Error> {
    match version {
        Some(v) if v >= ProtocolVersion::TLS1_2 => {
            Ok(Some(SignatureScheme(r.u16().need("signature scheme")?)))
        }
        _ => Ok(None),
    }
}

/// The signature that ends a signed ServerKeyExchange, after its scheme; nothing may follow.
pub(super) fn signature<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], Error> {
    let signature = r.vec16().need("signature")?.rest();
    r.end("signature")?;
    Ok(signature)
}

/// ServerECDHParams: the group when the curve is a named one (explicit curves are not read
/// past: no group).
pub(super) fn ec_params(r: &mut Reader<'_>) -> Result<ServerKeyExchange, Error> {
    let mut out = ServerKeyExchange::default();
    if r.u8().need("curve_type")? == NAMED_CURVE {
        out.group = Some(NamedGroup(r.u16().need("named_curve")?));
        r.vec8().need("public")?;
    }
    Ok(out)
}

/// ServerDHParams: the prime's size.
pub(super) fn dh_params(r: &mut Reader<'_>) -> Result<ServerKeyExchange, Error> {
    let p = r.vec16().need("dh_p")?;
    r.vec16().need("dh_g")?;
    r.vec16().need("dh_Ys")?;
    Ok(ServerKeyExchange {
        dh_bits: Some(bit_length(p.rest())),
        ..Default::default()
    })
}

/// The top 128 bits every RFC 7919 prime starts with: 64 ones, then the first bits of e.
const FFDHE_HEAD: [u8; 16] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xad, 0xf8, 0x54, 0x58, 0xa2, 0xbb, 0x4a, 0x9a,
];

/// The RFC 7919 group (ffdhe2048 to ffdhe8192) whose prime `p` (big-endian) is, by its head,
/// its last 64 bits (all ones) and its size: no other prime in use shares that head (RFC
/// 3526's continue with the bits of pi).
pub fn ffdhe_group(p: &[u8]) -> Option<NamedGroup> {
    let first = p.iter().position(|&b| b != 0)?;
    let p = p.get(first..)?;
    let tail_ones = p.len() >= 8 && p[p.len() - 8..].iter().all(|&b| b == 0xff);
    if !p.starts_with(&FFDHE_HEAD) || !tail_ones {
        return None;
    }
    let index = [2048, 3072, 4096, 6144, 8192]
        .iter()
        .position(|&bits| bits == p.len() * 8)?;
    Some(NamedGroup(NamedGroup::FFDHE2048.0 + index as u16))
}

/// The bit length of a big-endian unsigned integer (at most 65535 bytes, so it fits).
pub fn bit_length(n: &[u8]) -> u32 {
    let Some(first) = n.iter().position(|&b| b != 0) else {
        return 0;
    };
    let bytes = n.len().saturating_sub(first);
    let top = n.get(first).map_or(0, |b| 8 - b.leading_zeros());
    u32::try_from(bytes.saturating_sub(1))
        .unwrap_or(u32::MAX / 8)
        .saturating_mul(8)
        .saturating_add(top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::code_points::CipherSuite;

    fn ctx(version: u16, suite: u16) -> Context {
        Context {
            version: Some(ProtocolVersion(version)),
            suite: Some(CipherSuite(suite)),
        }
    }

    #[test]
    fn suites_map_to_their_key_exchange() {
        assert_eq!(key_exchange(0xc02b), KeyExchange::Ecdhe { signed: true });
        assert_eq!(key_exchange(0xc018), KeyExchange::Ecdhe { signed: false });
        assert_eq!(key_exchange(0x0014), KeyExchange::Dhe { signed: true });
        assert_eq!(key_exchange(0x00a7), KeyExchange::Dhe { signed: false });
        assert_eq!(key_exchange(0xccac), KeyExchange::EcdhePsk);
        assert_eq!(key_exchange(0xc0aa), KeyExchange::DhePsk);
        assert_eq!(key_exchange(0x002f), KeyExchange::Other);
        assert_eq!(key_exchange(0x1301), KeyExchange::Other);
        assert_eq!(key_exchange(0x0a0a), KeyExchange::Other);
    }

    #[test]
    fn dhe_gives_the_prime_size_and_the_scheme() {
        // p = 0x00 0x80 00..00 (a 2048-bit prime after a leading zero byte), g = 2, Ys = 1.
        let mut body = vec![0x01, 0x01, 0x00, 0x80];
        body.extend_from_slice(&[0; 255]);
        body.extend_from_slice(&[0, 1, 2, 0, 1, 1]);
        body.extend_from_slice(&[0x08, 0x04, 0, 2, 0xaa, 0xbb]); // rsa_pss_rsae_sha256
        let read = server_key_exchange(&body, &ctx(0x0303, 0x009e));
        assert_eq!(read.error, None);
        let f = read.fields.unwrap();
        assert_eq!(f.dh_bits, Some(2048));
        assert_eq!(f.group, None);
        assert_eq!(
            f.signature_scheme,
            Some(SignatureScheme::RSA_PSS_RSAE_SHA256)
        );
        // TLS 1.0: no scheme before the signature.
        let mut old = body[..body.len() - 6].to_vec();
        old.extend_from_slice(&[0, 2, 0xaa, 0xbb]);
        let f = server_key_exchange(&old, &ctx(0x0301, 0x0033))
            .fields
            .unwrap();
        assert_eq!((f.dh_bits, f.signature_scheme), (Some(2048), None));
    }

    #[test]
    fn ecdhe_psk_and_unknown_layouts() {
        // ECDHE_PSK: empty hint, x25519, a 1-byte point, no signature.
        let body = [0, 0, 3, 0, 29, 1, 9];
        let read = server_key_exchange(&body, &ctx(0x0303, 0xccac));
        assert_eq!(read.error, None);
        assert_eq!(read.fields.unwrap().group, Some(NamedGroup::X25519));
        // Explicit curve: no group, no error, nothing read past it.
        let read = server_key_exchange(&[1, 5, 5], &ctx(0x0303, 0xc02f));
        assert_eq!((read.fields.unwrap().group, read.error), (None, None));
        // A key exchange with no decoded layout, and no ServerHello seen at all.
        assert!(server_key_exchange(&[1, 2], &ctx(0x0303, 0x008c))
            .fields
            .is_none());
        assert!(server_key_exchange(&[1, 2], &Context::default())
            .fields
            .is_none());
        // ECDHE cut inside the signature.
        let read = server_key_exchange(&[3, 0, 23, 1, 4, 4, 3, 0, 9], &ctx(0x0303, 0xc02b));
        assert_eq!(read.error, Some(Error::Truncated("signature")));
        assert_eq!(read.fields.unwrap().group, Some(NamedGroup::SECP256R1));
    }

    #[test]
    fn rfc7919_primes_are_known_by_head_tail_and_size() {
        let prime = |bytes: usize, head: &[u8]| {
            let mut p = vec![0xff; bytes];
            p[8..8 + head.len()].copy_from_slice(head);
            p[bytes / 2] = 0x5a;
            p
        };
        let e = &FFDHE_HEAD[8..];
        assert_eq!(ffdhe_group(&prime(256, e)), Some(NamedGroup::FFDHE2048));
        assert_eq!(ffdhe_group(&prime(1024, e)), Some(NamedGroup::FFDHE8192));
        // A leading zero byte (a positive INTEGER's) changes nothing.
        let padded = [&[0u8][..], &prime(384, e)].concat();
        assert_eq!(ffdhe_group(&padded), Some(NamedGroup::FFDHE3072));
        // RFC 3526's MODP primes continue with pi; other sizes are no RFC 7919 group.
        let modp = [0xc9, 0x0f, 0xda, 0xa2, 0x21, 0x68, 0xc2, 0x34];
        assert_eq!(ffdhe_group(&prime(256, &modp)), None);
        assert_eq!(ffdhe_group(&prime(128, e)), None);
        let mut odd_tail = prime(256, e);
        odd_tail[250] = 0;
        assert_eq!(ffdhe_group(&odd_tail), None);
        assert_eq!(ffdhe_group(&[]), None);
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0, 0xff, 0]), 16);
        assert_eq!(bit_length(&[0x7f; 128]), 1023);
    }
}
