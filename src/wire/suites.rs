//! What each cipher suite is made of: key exchange, authentication, cipher, mode, MAC, export
//! grade, TLS 1.3 or not. One table keyed by the code point, covering every suite of
//! [`super::names`] (a test checks each row against its IANA name), so that nothing else needs
//! to read a suite's properties out of its name.

/// How a suite agrees on keys (the part of its IANA name before `_WITH_`, less `_EXPORT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kx {
    /// `TLS_NULL_WITH_NULL_NULL`: none at all.
    Null,
    /// RSA key transport (`RSA`, `RSA_EXPORT`).
    Rsa,
    /// Static finite-field Diffie-Hellman from the certificate (`DH_DSS`, `DH_RSA`).
    Dh,
    /// Ephemeral finite-field Diffie-Hellman, signed (`DHE_DSS`, `DHE_RSA`).
    Dhe,
    /// Unauthenticated finite-field Diffie-Hellman (`DH_anon`): ephemeral parameters, unsigned.
    DhAnon,
    /// Static elliptic-curve Diffie-Hellman from the certificate (`ECDH_ECDSA`, `ECDH_RSA`).
    Ecdh,
    /// Ephemeral elliptic-curve Diffie-Hellman, signed (`ECDHE_ECDSA`, `ECDHE_RSA`).
    Ecdhe,
    /// Unauthenticated elliptic-curve Diffie-Hellman (`ECDH_anon`): ephemeral, unsigned.
    EcdhAnon,
    /// A pre-shared key alone (`PSK`).
    Psk,
    /// A pre-shared key with RSA key transport (`RSA_PSK`).
    RsaPsk,
    /// A pre-shared key with ephemeral finite-field DH (`DHE_PSK`, and RFC 6655's `PSK_DHE`).
    DhePsk,
    /// A pre-shared key with ephemeral elliptic-curve DH (`ECDHE_PSK`).
    EcdhePsk,
    /// Kerberos 5 (`KRB5`).
    Krb5,
    /// Secure Remote Password (`SRP_SHA`, `SRP_SHA_RSA`, `SRP_SHA_DSS`).
    Srp,
    /// Password-authenticated ECC (`ECCPWD`).
    EccPwd,
    /// GOST R 34.10-2012 VKO (`GOSTR341112_256`, the TLS 1.2 GOST suites).
    Gost,
    /// A TLS 1.3 suite: it names no key exchange (`key_share` and the PSK modes decide).
    Negotiated,
    /// A signalling value, not a suite (`TLS_EMPTY_RENEGOTIATION_INFO_SCSV`, `TLS_FALLBACK_SCSV`).
    Scsv,
}

/// How the server proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// No authentication and no key exchange (`TLS_NULL_WITH_NULL_NULL`, the SCSVs).
    Null,
    Rsa,
    Dss,
    Ecdsa,
    /// `DH_anon`, `ECDH_anon`: nobody is authenticated.
    Anonymous,
    Psk,
    Krb5,
    /// The SRP password alone (`SRP_SHA`).
    Srp,
    EccPwd,
    Gost,
    /// A TLS 1.3 suite: authentication is chosen by `signature_algorithms`, not the suite.
    Negotiated,
}

/// The bulk cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// No encryption (`NULL`, and the integrity-only TLS 1.3 suites of RFC 9150).
    Null,
    /// RC2, 40-bit (export only).
    Rc2,
    /// RC4, 40-bit (export) or 128-bit.
    Rc4,
    Idea,
    /// Single DES cut to 40 bits (`DES40_CBC`, `DES_CBC_40`).
    Des40,
    /// Single DES, 56 bits.
    Des,
    /// Triple DES (`3DES_EDE`).
    TripleDes,
    Aes128,
    Aes256,
    Camellia128,
    Camellia256,
    Seed,
    Aria128,
    Aria256,
    ChaCha20,
    Sm4,
    Kuznyechik,
    Magma,
    /// GOST 28147-89.
    Gost28147,
    Aegis128L,
    Aegis256,
}

/// How the cipher is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No cipher, so no mode (`NULL`, integrity-only and signalling values).
    None,
    /// A stream cipher (RC4).
    Stream,
    Cbc,
    Gcm,
    Ccm,
    /// CCM with an 8-byte tag.
    Ccm8,
    /// ChaCha20 with Poly1305.
    Poly1305,
    /// Counter mode (GOST `CTR_OMAC`).
    Ctr,
    /// GOST 28147-89's counter mode (`CNT_IMIT`).
    Cnt,
    /// GOST Multilinear Galois Mode, light (`MGM_L`) and strong (`MGM_S`) rekeying.
    MgmL,
    MgmS,
    /// AEGIS, an AEAD of its own.
    Aegis,
}

impl Mode {
    /// Authenticated encryption: the record needs no separate MAC.
    pub fn is_aead(self) -> bool {
        matches!(
            self,
            Mode::Gcm
                | Mode::Ccm
                | Mode::Ccm8
                | Mode::Poly1305
                | Mode::MgmL
                | Mode::MgmS
                | Mode::Aegis
        )
    }
}

/// The hash or MAC the name ends with: the record MAC (HMAC, or GOST's OMAC and IMIT) for
/// stream and CBC suites, the PRF / HKDF hash for AEAD ones; `None` when the name gives none
/// (`_CCM`, GOST MGM, `NULL_NULL`, the SCSVs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mac {
    None,
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Sm3,
    Omac,
    Imit,
}

/// The facts of one cipher suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteFacts {
    pub code: u16,
    pub kx: Kx,
    pub auth: Auth,
    pub cipher: Cipher,
    pub mode: Mode,
    pub mac: Mac,
    /// Export grade (`_EXPORT_`): a key exchange or cipher cut down to 40 or 56 bits.
    pub export: bool,
}

impl SuiteFacts {
    /// Records go unencrypted: a NULL cipher. A signalling value (an SCSV) is no suite at
    /// all, so not one of these, though it names no cipher either.
    pub fn unencrypted(&self) -> bool {
        self.cipher == Cipher::Null && self.kx != Kx::Scsv
    }

    /// A TLS 1.3 suite, as opposed to one of TLS 1.2 and earlier (the same suites as
    /// [`super::names::is_tls13_suite`]).
    pub fn tls13(&self) -> bool {
        self.kx == Kx::Negotiated
    }

    /// The session keys do not follow from a long-term key: an ephemeral, signed
    /// Diffie-Hellman (`DHE`, `ECDHE`, their PSK variants), or any TLS 1.3 suite. The
    /// unauthenticated `DH_anon` and `ECDH_anon` are not counted.
    pub fn forward_secrecy(&self) -> bool {
        matches!(
            self.kx,
            Kx::Dhe | Kx::Ecdhe | Kx::DhePsk | Kx::EcdhePsk | Kx::Negotiated
        )
    }

    /// Authenticated encryption (GCM, CCM, ChaCha20-Poly1305, MGM, AEGIS); every TLS 1.3
    /// suite but the integrity-only ones.
    pub fn aead(&self) -> bool {
        self.mode.is_aead()
    }

    /// Authenticates nobody (`DH_anon`, `ECDH_anon`).
    pub fn anonymous(&self) -> bool {
        self.auth == Auth::Anonymous
    }
}

/// The facts of the suite `code`, or `None` for a code point the IANA registry does not assign
/// (GREASE, reserved, private use).
pub fn facts(code: u16) -> Option<&'static SuiteFacts> {
    SUITES
        .binary_search_by_key(&code, |s| s.code)
        .ok()
        .and_then(|i| SUITES.get(i))
}

const fn s(code: u16, kx: Kx, auth: Auth, cipher: Cipher, mode: Mode, mac: Mac) -> SuiteFacts {
    SuiteFacts {
        code,
        kx,
        auth,
        cipher,
        mode,
        mac,
        export: false,
    }
}

/// An export-grade suite.
const fn x(code: u16, kx: Kx, auth: Auth, cipher: Cipher, mode: Mode, mac: Mac) -> SuiteFacts {
    SuiteFacts {
        export: true,
        ..s(code, kx, auth, cipher, mode, mac)
    }
}

use Auth as A;
use Cipher as C;
use Kx as K;
use Mac as H;
use Mode as M;

/// In code-point order, as [`super::names`]'s registry.
#[rustfmt::skip]
static SUITES: &[SuiteFacts] = &[
    s(0x0000, K::Null, A::Null, C::Null, M::None, H::None), // TLS_NULL_WITH_NULL_NULL
    s(0x0001, K::Rsa, A::Rsa, C::Null, M::None, H::Md5), // TLS_RSA_WITH_NULL_MD5
    s(0x0002, K::Rsa, A::Rsa, C::Null, M::None, H::Sha1), // TLS_RSA_WITH_NULL_SHA
    x(0x0003, K::Rsa, A::Rsa, C::Rc4, M::Stream, H::Md5), // TLS_RSA_EXPORT_WITH_RC4_40_MD5
    s(0x0004, K::Rsa, A::Rsa, C::Rc4, M::Stream, H::Md5), // TLS_RSA_WITH_RC4_128_MD5
    s(0x0005, K::Rsa, A::Rsa, C::Rc4, M::Stream, H::Sha1), // TLS_RSA_WITH_RC4_128_SHA
    x(0x0006, K::Rsa, A::Rsa, C::Rc2, M::Cbc, H::Md5), // TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5
    s(0x0007, K::Rsa, A::Rsa, C::Idea, M::Cbc, H::Sha1), // TLS_RSA_WITH_IDEA_CBC_SHA
    x(0x0008, K::Rsa, A::Rsa, C::Des40, M::Cbc, H::Sha1), // TLS_RSA_EXPORT_WITH_DES40_CBC_SHA
    s(0x0009, K::Rsa, A::Rsa, C::Des, M::Cbc, H::Sha1), // TLS_RSA_WITH_DES_CBC_SHA
    s(0x000a, K::Rsa, A::Rsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_RSA_WITH_3DES_EDE_CBC_SHA
    x(0x000b, K::Dh, A::Dss, C::Des40, M::Cbc, H::Sha1), // TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA
    s(0x000c, K::Dh, A::Dss, C::Des, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_DES_CBC_SHA
    s(0x000d, K::Dh, A::Dss, C::TripleDes, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA
    x(0x000e, K::Dh, A::Rsa, C::Des40, M::Cbc, H::Sha1), // TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA
    s(0x000f, K::Dh, A::Rsa, C::Des, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_DES_CBC_SHA
    s(0x0010, K::Dh, A::Rsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA
    x(0x0011, K::Dhe, A::Dss, C::Des40, M::Cbc, H::Sha1), // TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA
    s(0x0012, K::Dhe, A::Dss, C::Des, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_DES_CBC_SHA
    s(0x0013, K::Dhe, A::Dss, C::TripleDes, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA
    x(0x0014, K::Dhe, A::Rsa, C::Des40, M::Cbc, H::Sha1), // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA
    s(0x0015, K::Dhe, A::Rsa, C::Des, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_DES_CBC_SHA
    s(0x0016, K::Dhe, A::Rsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA
    x(0x0017, K::DhAnon, A::Anonymous, C::Rc4, M::Stream, H::Md5), // TLS_DH_anon_EXPORT_WITH_RC4_40_MD5
    s(0x0018, K::DhAnon, A::Anonymous, C::Rc4, M::Stream, H::Md5), // TLS_DH_anon_WITH_RC4_128_MD5
    x(0x0019, K::DhAnon, A::Anonymous, C::Des40, M::Cbc, H::Sha1), // TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA
    s(0x001a, K::DhAnon, A::Anonymous, C::Des, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_DES_CBC_SHA
    s(0x001b, K::DhAnon, A::Anonymous, C::TripleDes, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_3DES_EDE_CBC_SHA
    s(0x001e, K::Krb5, A::Krb5, C::Des, M::Cbc, H::Sha1), // TLS_KRB5_WITH_DES_CBC_SHA
    s(0x001f, K::Krb5, A::Krb5, C::TripleDes, M::Cbc, H::Sha1), // TLS_KRB5_WITH_3DES_EDE_CBC_SHA
    s(0x0020, K::Krb5, A::Krb5, C::Rc4, M::Stream, H::Sha1), // TLS_KRB5_WITH_RC4_128_SHA
    s(0x0021, K::Krb5, A::Krb5, C::Idea, M::Cbc, H::Sha1), // TLS_KRB5_WITH_IDEA_CBC_SHA
    s(0x0022, K::Krb5, A::Krb5, C::Des, M::Cbc, H::Md5), // TLS_KRB5_WITH_DES_CBC_MD5
    s(0x0023, K::Krb5, A::Krb5, C::TripleDes, M::Cbc, H::Md5), // TLS_KRB5_WITH_3DES_EDE_CBC_MD5
    s(0x0024, K::Krb5, A::Krb5, C::Rc4, M::Stream, H::Md5), // TLS_KRB5_WITH_RC4_128_MD5
    s(0x0025, K::Krb5, A::Krb5, C::Idea, M::Cbc, H::Md5), // TLS_KRB5_WITH_IDEA_CBC_MD5
    x(0x0026, K::Krb5, A::Krb5, C::Des40, M::Cbc, H::Sha1), // TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA
    x(0x0027, K::Krb5, A::Krb5, C::Rc2, M::Cbc, H::Sha1), // TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA
    x(0x0028, K::Krb5, A::Krb5, C::Rc4, M::Stream, H::Sha1), // TLS_KRB5_EXPORT_WITH_RC4_40_SHA
    x(0x0029, K::Krb5, A::Krb5, C::Des40, M::Cbc, H::Md5), // TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5
    x(0x002a, K::Krb5, A::Krb5, C::Rc2, M::Cbc, H::Md5), // TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5
    x(0x002b, K::Krb5, A::Krb5, C::Rc4, M::Stream, H::Md5), // TLS_KRB5_EXPORT_WITH_RC4_40_MD5
    s(0x002c, K::Psk, A::Psk, C::Null, M::None, H::Sha1), // TLS_PSK_WITH_NULL_SHA
    s(0x002d, K::DhePsk, A::Psk, C::Null, M::None, H::Sha1), // TLS_DHE_PSK_WITH_NULL_SHA
    s(0x002e, K::RsaPsk, A::Psk, C::Null, M::None, H::Sha1), // TLS_RSA_PSK_WITH_NULL_SHA
    s(0x002f, K::Rsa, A::Rsa, C::Aes128, M::Cbc, H::Sha1), // TLS_RSA_WITH_AES_128_CBC_SHA
    s(0x0030, K::Dh, A::Dss, C::Aes128, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_AES_128_CBC_SHA
    s(0x0031, K::Dh, A::Rsa, C::Aes128, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_AES_128_CBC_SHA
    s(0x0032, K::Dhe, A::Dss, C::Aes128, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_AES_128_CBC_SHA
    s(0x0033, K::Dhe, A::Rsa, C::Aes128, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
    s(0x0034, K::DhAnon, A::Anonymous, C::Aes128, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_AES_128_CBC_SHA
    s(0x0035, K::Rsa, A::Rsa, C::Aes256, M::Cbc, H::Sha1), // TLS_RSA_WITH_AES_256_CBC_SHA
    s(0x0036, K::Dh, A::Dss, C::Aes256, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_AES_256_CBC_SHA
    s(0x0037, K::Dh, A::Rsa, C::Aes256, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_AES_256_CBC_SHA
    s(0x0038, K::Dhe, A::Dss, C::Aes256, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_AES_256_CBC_SHA
    s(0x0039, K::Dhe, A::Rsa, C::Aes256, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_AES_256_CBC_SHA
    s(0x003a, K::DhAnon, A::Anonymous, C::Aes256, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_AES_256_CBC_SHA
    s(0x003b, K::Rsa, A::Rsa, C::Null, M::None, H::Sha256), // TLS_RSA_WITH_NULL_SHA256
    s(0x003c, K::Rsa, A::Rsa, C::Aes128, M::Cbc, H::Sha256), // TLS_RSA_WITH_AES_128_CBC_SHA256
    s(0x003d, K::Rsa, A::Rsa, C::Aes256, M::Cbc, H::Sha256), // TLS_RSA_WITH_AES_256_CBC_SHA256
    s(0x003e, K::Dh, A::Dss, C::Aes128, M::Cbc, H::Sha256), // TLS_DH_DSS_WITH_AES_128_CBC_SHA256
    s(0x003f, K::Dh, A::Rsa, C::Aes128, M::Cbc, H::Sha256), // TLS_DH_RSA_WITH_AES_128_CBC_SHA256
    s(0x0040, K::Dhe, A::Dss, C::Aes128, M::Cbc, H::Sha256), // TLS_DHE_DSS_WITH_AES_128_CBC_SHA256
    s(0x0041, K::Rsa, A::Rsa, C::Camellia128, M::Cbc, H::Sha1), // TLS_RSA_WITH_CAMELLIA_128_CBC_SHA
    s(0x0042, K::Dh, A::Dss, C::Camellia128, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA
    s(0x0043, K::Dh, A::Rsa, C::Camellia128, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA
    s(0x0044, K::Dhe, A::Dss, C::Camellia128, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA
    s(0x0045, K::Dhe, A::Rsa, C::Camellia128, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA
    s(0x0046, K::DhAnon, A::Anonymous, C::Camellia128, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA
    s(0x0067, K::Dhe, A::Rsa, C::Aes128, M::Cbc, H::Sha256), // TLS_DHE_RSA_WITH_AES_128_CBC_SHA256
    s(0x0068, K::Dh, A::Dss, C::Aes256, M::Cbc, H::Sha256), // TLS_DH_DSS_WITH_AES_256_CBC_SHA256
    s(0x0069, K::Dh, A::Rsa, C::Aes256, M::Cbc, H::Sha256), // TLS_DH_RSA_WITH_AES_256_CBC_SHA256
    s(0x006a, K::Dhe, A::Dss, C::Aes256, M::Cbc, H::Sha256), // TLS_DHE_DSS_WITH_AES_256_CBC_SHA256
    s(0x006b, K::Dhe, A::Rsa, C::Aes256, M::Cbc, H::Sha256), // TLS_DHE_RSA_WITH_AES_256_CBC_SHA256
    s(0x006c, K::DhAnon, A::Anonymous, C::Aes128, M::Cbc, H::Sha256), // TLS_DH_anon_WITH_AES_128_CBC_SHA256
    s(0x006d, K::DhAnon, A::Anonymous, C::Aes256, M::Cbc, H::Sha256), // TLS_DH_anon_WITH_AES_256_CBC_SHA256
    s(0x0084, K::Rsa, A::Rsa, C::Camellia256, M::Cbc, H::Sha1), // TLS_RSA_WITH_CAMELLIA_256_CBC_SHA
    s(0x0085, K::Dh, A::Dss, C::Camellia256, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA
    s(0x0086, K::Dh, A::Rsa, C::Camellia256, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA
    s(0x0087, K::Dhe, A::Dss, C::Camellia256, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA
    s(0x0088, K::Dhe, A::Rsa, C::Camellia256, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA
    s(0x0089, K::DhAnon, A::Anonymous, C::Camellia256, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA
    s(0x008a, K::Psk, A::Psk, C::Rc4, M::Stream, H::Sha1), // TLS_PSK_WITH_RC4_128_SHA
    s(0x008b, K::Psk, A::Psk, C::TripleDes, M::Cbc, H::Sha1), // TLS_PSK_WITH_3DES_EDE_CBC_SHA
    s(0x008c, K::Psk, A::Psk, C::Aes128, M::Cbc, H::Sha1), // TLS_PSK_WITH_AES_128_CBC_SHA
    s(0x008d, K::Psk, A::Psk, C::Aes256, M::Cbc, H::Sha1), // TLS_PSK_WITH_AES_256_CBC_SHA
    s(0x008e, K::DhePsk, A::Psk, C::Rc4, M::Stream, H::Sha1), // TLS_DHE_PSK_WITH_RC4_128_SHA
    s(0x008f, K::DhePsk, A::Psk, C::TripleDes, M::Cbc, H::Sha1), // TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA
    s(0x0090, K::DhePsk, A::Psk, C::Aes128, M::Cbc, H::Sha1), // TLS_DHE_PSK_WITH_AES_128_CBC_SHA
    s(0x0091, K::DhePsk, A::Psk, C::Aes256, M::Cbc, H::Sha1), // TLS_DHE_PSK_WITH_AES_256_CBC_SHA
    s(0x0092, K::RsaPsk, A::Psk, C::Rc4, M::Stream, H::Sha1), // TLS_RSA_PSK_WITH_RC4_128_SHA
    s(0x0093, K::RsaPsk, A::Psk, C::TripleDes, M::Cbc, H::Sha1), // TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA
    s(0x0094, K::RsaPsk, A::Psk, C::Aes128, M::Cbc, H::Sha1), // TLS_RSA_PSK_WITH_AES_128_CBC_SHA
    s(0x0095, K::RsaPsk, A::Psk, C::Aes256, M::Cbc, H::Sha1), // TLS_RSA_PSK_WITH_AES_256_CBC_SHA
    s(0x0096, K::Rsa, A::Rsa, C::Seed, M::Cbc, H::Sha1), // TLS_RSA_WITH_SEED_CBC_SHA
    s(0x0097, K::Dh, A::Dss, C::Seed, M::Cbc, H::Sha1), // TLS_DH_DSS_WITH_SEED_CBC_SHA
    s(0x0098, K::Dh, A::Rsa, C::Seed, M::Cbc, H::Sha1), // TLS_DH_RSA_WITH_SEED_CBC_SHA
    s(0x0099, K::Dhe, A::Dss, C::Seed, M::Cbc, H::Sha1), // TLS_DHE_DSS_WITH_SEED_CBC_SHA
    s(0x009a, K::Dhe, A::Rsa, C::Seed, M::Cbc, H::Sha1), // TLS_DHE_RSA_WITH_SEED_CBC_SHA
    s(0x009b, K::DhAnon, A::Anonymous, C::Seed, M::Cbc, H::Sha1), // TLS_DH_anon_WITH_SEED_CBC_SHA
    s(0x009c, K::Rsa, A::Rsa, C::Aes128, M::Gcm, H::Sha256), // TLS_RSA_WITH_AES_128_GCM_SHA256
    s(0x009d, K::Rsa, A::Rsa, C::Aes256, M::Gcm, H::Sha384), // TLS_RSA_WITH_AES_256_GCM_SHA384
    s(0x009e, K::Dhe, A::Rsa, C::Aes128, M::Gcm, H::Sha256), // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
    s(0x009f, K::Dhe, A::Rsa, C::Aes256, M::Gcm, H::Sha384), // TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
    s(0x00a0, K::Dh, A::Rsa, C::Aes128, M::Gcm, H::Sha256), // TLS_DH_RSA_WITH_AES_128_GCM_SHA256
    s(0x00a1, K::Dh, A::Rsa, C::Aes256, M::Gcm, H::Sha384), // TLS_DH_RSA_WITH_AES_256_GCM_SHA384
    s(0x00a2, K::Dhe, A::Dss, C::Aes128, M::Gcm, H::Sha256), // TLS_DHE_DSS_WITH_AES_128_GCM_SHA256
    s(0x00a3, K::Dhe, A::Dss, C::Aes256, M::Gcm, H::Sha384), // TLS_DHE_DSS_WITH_AES_256_GCM_SHA384
    s(0x00a4, K::Dh, A::Dss, C::Aes128, M::Gcm, H::Sha256), // TLS_DH_DSS_WITH_AES_128_GCM_SHA256
    s(0x00a5, K::Dh, A::Dss, C::Aes256, M::Gcm, H::Sha384), // TLS_DH_DSS_WITH_AES_256_GCM_SHA384
    s(0x00a6, K::DhAnon, A::Anonymous, C::Aes128, M::Gcm, H::Sha256), // TLS_DH_anon_WITH_AES_128_GCM_SHA256
    s(0x00a7, K::DhAnon, A::Anonymous, C::Aes256, M::Gcm, H::Sha384), // TLS_DH_anon_WITH_AES_256_GCM_SHA384
    s(0x00a8, K::Psk, A::Psk, C::Aes128, M::Gcm, H::Sha256), // TLS_PSK_WITH_AES_128_GCM_SHA256
    s(0x00a9, K::Psk, A::Psk, C::Aes256, M::Gcm, H::Sha384), // TLS_PSK_WITH_AES_256_GCM_SHA384
    s(0x00aa, K::DhePsk, A::Psk, C::Aes128, M::Gcm, H::Sha256), // TLS_DHE_PSK_WITH_AES_128_GCM_SHA256
    s(0x00ab, K::DhePsk, A::Psk, C::Aes256, M::Gcm, H::Sha384), // TLS_DHE_PSK_WITH_AES_256_GCM_SHA384
    s(0x00ac, K::RsaPsk, A::Psk, C::Aes128, M::Gcm, H::Sha256), // TLS_RSA_PSK_WITH_AES_128_GCM_SHA256
    s(0x00ad, K::RsaPsk, A::Psk, C::Aes256, M::Gcm, H::Sha384), // TLS_RSA_PSK_WITH_AES_256_GCM_SHA384
    s(0x00ae, K::Psk, A::Psk, C::Aes128, M::Cbc, H::Sha256), // TLS_PSK_WITH_AES_128_CBC_SHA256
    s(0x00af, K::Psk, A::Psk, C::Aes256, M::Cbc, H::Sha384), // TLS_PSK_WITH_AES_256_CBC_SHA384
    s(0x00b0, K::Psk, A::Psk, C::Null, M::None, H::Sha256), // TLS_PSK_WITH_NULL_SHA256
    s(0x00b1, K::Psk, A::Psk, C::Null, M::None, H::Sha384), // TLS_PSK_WITH_NULL_SHA384
    s(0x00b2, K::DhePsk, A::Psk, C::Aes128, M::Cbc, H::Sha256), // TLS_DHE_PSK_WITH_AES_128_CBC_SHA256
    s(0x00b3, K::DhePsk, A::Psk, C::Aes256, M::Cbc, H::Sha384), // TLS_DHE_PSK_WITH_AES_256_CBC_SHA384
    s(0x00b4, K::DhePsk, A::Psk, C::Null, M::None, H::Sha256), // TLS_DHE_PSK_WITH_NULL_SHA256
    s(0x00b5, K::DhePsk, A::Psk, C::Null, M::None, H::Sha384), // TLS_DHE_PSK_WITH_NULL_SHA384
    s(0x00b6, K::RsaPsk, A::Psk, C::Aes128, M::Cbc, H::Sha256), // TLS_RSA_PSK_WITH_AES_128_CBC_SHA256
    s(0x00b7, K::RsaPsk, A::Psk, C::Aes256, M::Cbc, H::Sha384), // TLS_RSA_PSK_WITH_AES_256_CBC_SHA384
    s(0x00b8, K::RsaPsk, A::Psk, C::Null, M::None, H::Sha256), // TLS_RSA_PSK_WITH_NULL_SHA256
    s(0x00b9, K::RsaPsk, A::Psk, C::Null, M::None, H::Sha384), // TLS_RSA_PSK_WITH_NULL_SHA384
    s(0x00ba, K::Rsa, A::Rsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0x00bb, K::Dh, A::Dss, C::Camellia128, M::Cbc, H::Sha256), // TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256
    s(0x00bc, K::Dh, A::Rsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0x00bd, K::Dhe, A::Dss, C::Camellia128, M::Cbc, H::Sha256), // TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256
    s(0x00be, K::Dhe, A::Rsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0x00bf, K::DhAnon, A::Anonymous, C::Camellia128, M::Cbc, H::Sha256), // TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256
    s(0x00c0, K::Rsa, A::Rsa, C::Camellia256, M::Cbc, H::Sha256), // TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256
    s(0x00c1, K::Dh, A::Dss, C::Camellia256, M::Cbc, H::Sha256), // TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256
    s(0x00c2, K::Dh, A::Rsa, C::Camellia256, M::Cbc, H::Sha256), // TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256
    s(0x00c3, K::Dhe, A::Dss, C::Camellia256, M::Cbc, H::Sha256), // TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256
    s(0x00c4, K::Dhe, A::Rsa, C::Camellia256, M::Cbc, H::Sha256), // TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256
    s(0x00c5, K::DhAnon, A::Anonymous, C::Camellia256, M::Cbc, H::Sha256), // TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256
    s(0x00c6, K::Negotiated, A::Negotiated, C::Sm4, M::Gcm, H::Sm3), // TLS_SM4_GCM_SM3
    s(0x00c7, K::Negotiated, A::Negotiated, C::Sm4, M::Ccm, H::Sm3), // TLS_SM4_CCM_SM3
    s(0x00ff, K::Scsv, A::Null, C::Null, M::None, H::None), // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    s(0x1301, K::Negotiated, A::Negotiated, C::Aes128, M::Gcm, H::Sha256), // TLS_AES_128_GCM_SHA256
    s(0x1302, K::Negotiated, A::Negotiated, C::Aes256, M::Gcm, H::Sha384), // TLS_AES_256_GCM_SHA384
    s(0x1303, K::Negotiated, A::Negotiated, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_CHACHA20_POLY1305_SHA256
    s(0x1304, K::Negotiated, A::Negotiated, C::Aes128, M::Ccm, H::Sha256), // TLS_AES_128_CCM_SHA256
    s(0x1305, K::Negotiated, A::Negotiated, C::Aes128, M::Ccm8, H::Sha256), // TLS_AES_128_CCM_8_SHA256
    s(0x1306, K::Negotiated, A::Negotiated, C::Aegis256, M::Aegis, H::Sha512), // TLS_AEGIS_256_SHA512
    s(0x1307, K::Negotiated, A::Negotiated, C::Aegis128L, M::Aegis, H::Sha256), // TLS_AEGIS_128L_SHA256
    s(0x5600, K::Scsv, A::Null, C::Null, M::None, H::None), // TLS_FALLBACK_SCSV
    s(0xc001, K::Ecdh, A::Ecdsa, C::Null, M::None, H::Sha1), // TLS_ECDH_ECDSA_WITH_NULL_SHA
    s(0xc002, K::Ecdh, A::Ecdsa, C::Rc4, M::Stream, H::Sha1), // TLS_ECDH_ECDSA_WITH_RC4_128_SHA
    s(0xc003, K::Ecdh, A::Ecdsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA
    s(0xc004, K::Ecdh, A::Ecdsa, C::Aes128, M::Cbc, H::Sha1), // TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA
    s(0xc005, K::Ecdh, A::Ecdsa, C::Aes256, M::Cbc, H::Sha1), // TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA
    s(0xc006, K::Ecdhe, A::Ecdsa, C::Null, M::None, H::Sha1), // TLS_ECDHE_ECDSA_WITH_NULL_SHA
    s(0xc007, K::Ecdhe, A::Ecdsa, C::Rc4, M::Stream, H::Sha1), // TLS_ECDHE_ECDSA_WITH_RC4_128_SHA
    s(0xc008, K::Ecdhe, A::Ecdsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA
    s(0xc009, K::Ecdhe, A::Ecdsa, C::Aes128, M::Cbc, H::Sha1), // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
    s(0xc00a, K::Ecdhe, A::Ecdsa, C::Aes256, M::Cbc, H::Sha1), // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
    s(0xc00b, K::Ecdh, A::Rsa, C::Null, M::None, H::Sha1), // TLS_ECDH_RSA_WITH_NULL_SHA
    s(0xc00c, K::Ecdh, A::Rsa, C::Rc4, M::Stream, H::Sha1), // TLS_ECDH_RSA_WITH_RC4_128_SHA
    s(0xc00d, K::Ecdh, A::Rsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA
    s(0xc00e, K::Ecdh, A::Rsa, C::Aes128, M::Cbc, H::Sha1), // TLS_ECDH_RSA_WITH_AES_128_CBC_SHA
    s(0xc00f, K::Ecdh, A::Rsa, C::Aes256, M::Cbc, H::Sha1), // TLS_ECDH_RSA_WITH_AES_256_CBC_SHA
    s(0xc010, K::Ecdhe, A::Rsa, C::Null, M::None, H::Sha1), // TLS_ECDHE_RSA_WITH_NULL_SHA
    s(0xc011, K::Ecdhe, A::Rsa, C::Rc4, M::Stream, H::Sha1), // TLS_ECDHE_RSA_WITH_RC4_128_SHA
    s(0xc012, K::Ecdhe, A::Rsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
    s(0xc013, K::Ecdhe, A::Rsa, C::Aes128, M::Cbc, H::Sha1), // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    s(0xc014, K::Ecdhe, A::Rsa, C::Aes256, M::Cbc, H::Sha1), // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    s(0xc015, K::EcdhAnon, A::Anonymous, C::Null, M::None, H::Sha1), // TLS_ECDH_anon_WITH_NULL_SHA
    s(0xc016, K::EcdhAnon, A::Anonymous, C::Rc4, M::Stream, H::Sha1), // TLS_ECDH_anon_WITH_RC4_128_SHA
    s(0xc017, K::EcdhAnon, A::Anonymous, C::TripleDes, M::Cbc, H::Sha1), // TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA
    s(0xc018, K::EcdhAnon, A::Anonymous, C::Aes128, M::Cbc, H::Sha1), // TLS_ECDH_anon_WITH_AES_128_CBC_SHA
    s(0xc019, K::EcdhAnon, A::Anonymous, C::Aes256, M::Cbc, H::Sha1), // TLS_ECDH_anon_WITH_AES_256_CBC_SHA
    s(0xc01a, K::Srp, A::Srp, C::TripleDes, M::Cbc, H::Sha1), // TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA
    s(0xc01b, K::Srp, A::Rsa, C::TripleDes, M::Cbc, H::Sha1), // TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA
    s(0xc01c, K::Srp, A::Dss, C::TripleDes, M::Cbc, H::Sha1), // TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA
    s(0xc01d, K::Srp, A::Srp, C::Aes128, M::Cbc, H::Sha1), // TLS_SRP_SHA_WITH_AES_128_CBC_SHA
    s(0xc01e, K::Srp, A::Rsa, C::Aes128, M::Cbc, H::Sha1), // TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA
    s(0xc01f, K::Srp, A::Dss, C::Aes128, M::Cbc, H::Sha1), // TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA
    s(0xc020, K::Srp, A::Srp, C::Aes256, M::Cbc, H::Sha1), // TLS_SRP_SHA_WITH_AES_256_CBC_SHA
    s(0xc021, K::Srp, A::Rsa, C::Aes256, M::Cbc, H::Sha1), // TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA
    s(0xc022, K::Srp, A::Dss, C::Aes256, M::Cbc, H::Sha1), // TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA
    s(0xc023, K::Ecdhe, A::Ecdsa, C::Aes128, M::Cbc, H::Sha256), // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
    s(0xc024, K::Ecdhe, A::Ecdsa, C::Aes256, M::Cbc, H::Sha384), // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
    s(0xc025, K::Ecdh, A::Ecdsa, C::Aes128, M::Cbc, H::Sha256), // TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256
    s(0xc026, K::Ecdh, A::Ecdsa, C::Aes256, M::Cbc, H::Sha384), // TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384
    s(0xc027, K::Ecdhe, A::Rsa, C::Aes128, M::Cbc, H::Sha256), // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
    s(0xc028, K::Ecdhe, A::Rsa, C::Aes256, M::Cbc, H::Sha384), // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
    s(0xc029, K::Ecdh, A::Rsa, C::Aes128, M::Cbc, H::Sha256), // TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256
    s(0xc02a, K::Ecdh, A::Rsa, C::Aes256, M::Cbc, H::Sha384), // TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384
    s(0xc02b, K::Ecdhe, A::Ecdsa, C::Aes128, M::Gcm, H::Sha256), // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    s(0xc02c, K::Ecdhe, A::Ecdsa, C::Aes256, M::Gcm, H::Sha384), // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    s(0xc02d, K::Ecdh, A::Ecdsa, C::Aes128, M::Gcm, H::Sha256), // TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256
    s(0xc02e, K::Ecdh, A::Ecdsa, C::Aes256, M::Gcm, H::Sha384), // TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384
    s(0xc02f, K::Ecdhe, A::Rsa, C::Aes128, M::Gcm, H::Sha256), // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    s(0xc030, K::Ecdhe, A::Rsa, C::Aes256, M::Gcm, H::Sha384), // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    s(0xc031, K::Ecdh, A::Rsa, C::Aes128, M::Gcm, H::Sha256), // TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256
    s(0xc032, K::Ecdh, A::Rsa, C::Aes256, M::Gcm, H::Sha384), // TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384
    s(0xc033, K::EcdhePsk, A::Psk, C::Rc4, M::Stream, H::Sha1), // TLS_ECDHE_PSK_WITH_RC4_128_SHA
    s(0xc034, K::EcdhePsk, A::Psk, C::TripleDes, M::Cbc, H::Sha1), // TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA
    s(0xc035, K::EcdhePsk, A::Psk, C::Aes128, M::Cbc, H::Sha1), // TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA
    s(0xc036, K::EcdhePsk, A::Psk, C::Aes256, M::Cbc, H::Sha1), // TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA
    s(0xc037, K::EcdhePsk, A::Psk, C::Aes128, M::Cbc, H::Sha256), // TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256
    s(0xc038, K::EcdhePsk, A::Psk, C::Aes256, M::Cbc, H::Sha384), // TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384
    s(0xc039, K::EcdhePsk, A::Psk, C::Null, M::None, H::Sha1), // TLS_ECDHE_PSK_WITH_NULL_SHA
    s(0xc03a, K::EcdhePsk, A::Psk, C::Null, M::None, H::Sha256), // TLS_ECDHE_PSK_WITH_NULL_SHA256
    s(0xc03b, K::EcdhePsk, A::Psk, C::Null, M::None, H::Sha384), // TLS_ECDHE_PSK_WITH_NULL_SHA384
    s(0xc03c, K::Rsa, A::Rsa, C::Aria128, M::Cbc, H::Sha256), // TLS_RSA_WITH_ARIA_128_CBC_SHA256
    s(0xc03d, K::Rsa, A::Rsa, C::Aria256, M::Cbc, H::Sha384), // TLS_RSA_WITH_ARIA_256_CBC_SHA384
    s(0xc03e, K::Dh, A::Dss, C::Aria128, M::Cbc, H::Sha256), // TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256
    s(0xc03f, K::Dh, A::Dss, C::Aria256, M::Cbc, H::Sha384), // TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384
    s(0xc040, K::Dh, A::Rsa, C::Aria128, M::Cbc, H::Sha256), // TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256
    s(0xc041, K::Dh, A::Rsa, C::Aria256, M::Cbc, H::Sha384), // TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384
    s(0xc042, K::Dhe, A::Dss, C::Aria128, M::Cbc, H::Sha256), // TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256
    s(0xc043, K::Dhe, A::Dss, C::Aria256, M::Cbc, H::Sha384), // TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384
    s(0xc044, K::Dhe, A::Rsa, C::Aria128, M::Cbc, H::Sha256), // TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256
    s(0xc045, K::Dhe, A::Rsa, C::Aria256, M::Cbc, H::Sha384), // TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384
    s(0xc046, K::DhAnon, A::Anonymous, C::Aria128, M::Cbc, H::Sha256), // TLS_DH_anon_WITH_ARIA_128_CBC_SHA256
    s(0xc047, K::DhAnon, A::Anonymous, C::Aria256, M::Cbc, H::Sha384), // TLS_DH_anon_WITH_ARIA_256_CBC_SHA384
    s(0xc048, K::Ecdhe, A::Ecdsa, C::Aria128, M::Cbc, H::Sha256), // TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256
    s(0xc049, K::Ecdhe, A::Ecdsa, C::Aria256, M::Cbc, H::Sha384), // TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384
    s(0xc04a, K::Ecdh, A::Ecdsa, C::Aria128, M::Cbc, H::Sha256), // TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256
    s(0xc04b, K::Ecdh, A::Ecdsa, C::Aria256, M::Cbc, H::Sha384), // TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384
    s(0xc04c, K::Ecdhe, A::Rsa, C::Aria128, M::Cbc, H::Sha256), // TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256
    s(0xc04d, K::Ecdhe, A::Rsa, C::Aria256, M::Cbc, H::Sha384), // TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384
    s(0xc04e, K::Ecdh, A::Rsa, C::Aria128, M::Cbc, H::Sha256), // TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256
    s(0xc04f, K::Ecdh, A::Rsa, C::Aria256, M::Cbc, H::Sha384), // TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384
    s(0xc050, K::Rsa, A::Rsa, C::Aria128, M::Gcm, H::Sha256), // TLS_RSA_WITH_ARIA_128_GCM_SHA256
    s(0xc051, K::Rsa, A::Rsa, C::Aria256, M::Gcm, H::Sha384), // TLS_RSA_WITH_ARIA_256_GCM_SHA384
    s(0xc052, K::Dhe, A::Rsa, C::Aria128, M::Gcm, H::Sha256), // TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256
    s(0xc053, K::Dhe, A::Rsa, C::Aria256, M::Gcm, H::Sha384), // TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384
    s(0xc054, K::Dh, A::Rsa, C::Aria128, M::Gcm, H::Sha256), // TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256
    s(0xc055, K::Dh, A::Rsa, C::Aria256, M::Gcm, H::Sha384), // TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384
    s(0xc056, K::Dhe, A::Dss, C::Aria128, M::Gcm, H::Sha256), // TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256
    s(0xc057, K::Dhe, A::Dss, C::Aria256, M::Gcm, H::Sha384), // TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384
    s(0xc058, K::Dh, A::Dss, C::Aria128, M::Gcm, H::Sha256), // TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256
    s(0xc059, K::Dh, A::Dss, C::Aria256, M::Gcm, H::Sha384), // TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384
    s(0xc05a, K::DhAnon, A::Anonymous, C::Aria128, M::Gcm, H::Sha256), // TLS_DH_anon_WITH_ARIA_128_GCM_SHA256
    s(0xc05b, K::DhAnon, A::Anonymous, C::Aria256, M::Gcm, H::Sha384), // TLS_DH_anon_WITH_ARIA_256_GCM_SHA384
    s(0xc05c, K::Ecdhe, A::Ecdsa, C::Aria128, M::Gcm, H::Sha256), // TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256
    s(0xc05d, K::Ecdhe, A::Ecdsa, C::Aria256, M::Gcm, H::Sha384), // TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384
    s(0xc05e, K::Ecdh, A::Ecdsa, C::Aria128, M::Gcm, H::Sha256), // TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256
    s(0xc05f, K::Ecdh, A::Ecdsa, C::Aria256, M::Gcm, H::Sha384), // TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384
    s(0xc060, K::Ecdhe, A::Rsa, C::Aria128, M::Gcm, H::Sha256), // TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256
    s(0xc061, K::Ecdhe, A::Rsa, C::Aria256, M::Gcm, H::Sha384), // TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384
    s(0xc062, K::Ecdh, A::Rsa, C::Aria128, M::Gcm, H::Sha256), // TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256
    s(0xc063, K::Ecdh, A::Rsa, C::Aria256, M::Gcm, H::Sha384), // TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384
    s(0xc064, K::Psk, A::Psk, C::Aria128, M::Cbc, H::Sha256), // TLS_PSK_WITH_ARIA_128_CBC_SHA256
    s(0xc065, K::Psk, A::Psk, C::Aria256, M::Cbc, H::Sha384), // TLS_PSK_WITH_ARIA_256_CBC_SHA384
    s(0xc066, K::DhePsk, A::Psk, C::Aria128, M::Cbc, H::Sha256), // TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256
    s(0xc067, K::DhePsk, A::Psk, C::Aria256, M::Cbc, H::Sha384), // TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384
    s(0xc068, K::RsaPsk, A::Psk, C::Aria128, M::Cbc, H::Sha256), // TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256
    s(0xc069, K::RsaPsk, A::Psk, C::Aria256, M::Cbc, H::Sha384), // TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384
    s(0xc06a, K::Psk, A::Psk, C::Aria128, M::Gcm, H::Sha256), // TLS_PSK_WITH_ARIA_128_GCM_SHA256
    s(0xc06b, K::Psk, A::Psk, C::Aria256, M::Gcm, H::Sha384), // TLS_PSK_WITH_ARIA_256_GCM_SHA384
    s(0xc06c, K::DhePsk, A::Psk, C::Aria128, M::Gcm, H::Sha256), // TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256
    s(0xc06d, K::DhePsk, A::Psk, C::Aria256, M::Gcm, H::Sha384), // TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384
    s(0xc06e, K::RsaPsk, A::Psk, C::Aria128, M::Gcm, H::Sha256), // TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256
    s(0xc06f, K::RsaPsk, A::Psk, C::Aria256, M::Gcm, H::Sha384), // TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384
    s(0xc070, K::EcdhePsk, A::Psk, C::Aria128, M::Cbc, H::Sha256), // TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256
    s(0xc071, K::EcdhePsk, A::Psk, C::Aria256, M::Cbc, H::Sha384), // TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384
    s(0xc072, K::Ecdhe, A::Ecdsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc073, K::Ecdhe, A::Ecdsa, C::Camellia256, M::Cbc, H::Sha384), // TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc074, K::Ecdh, A::Ecdsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc075, K::Ecdh, A::Ecdsa, C::Camellia256, M::Cbc, H::Sha384), // TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc076, K::Ecdhe, A::Rsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc077, K::Ecdhe, A::Rsa, C::Camellia256, M::Cbc, H::Sha384), // TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc078, K::Ecdh, A::Rsa, C::Camellia128, M::Cbc, H::Sha256), // TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc079, K::Ecdh, A::Rsa, C::Camellia256, M::Cbc, H::Sha384), // TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc07a, K::Rsa, A::Rsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc07b, K::Rsa, A::Rsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc07c, K::Dhe, A::Rsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc07d, K::Dhe, A::Rsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc07e, K::Dh, A::Rsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc07f, K::Dh, A::Rsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc080, K::Dhe, A::Dss, C::Camellia128, M::Gcm, H::Sha256), // TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc081, K::Dhe, A::Dss, C::Camellia256, M::Gcm, H::Sha384), // TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc082, K::Dh, A::Dss, C::Camellia128, M::Gcm, H::Sha256), // TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc083, K::Dh, A::Dss, C::Camellia256, M::Gcm, H::Sha384), // TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc084, K::DhAnon, A::Anonymous, C::Camellia128, M::Gcm, H::Sha256), // TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc085, K::DhAnon, A::Anonymous, C::Camellia256, M::Gcm, H::Sha384), // TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc086, K::Ecdhe, A::Ecdsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc087, K::Ecdhe, A::Ecdsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc088, K::Ecdh, A::Ecdsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc089, K::Ecdh, A::Ecdsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc08a, K::Ecdhe, A::Rsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc08b, K::Ecdhe, A::Rsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc08c, K::Ecdh, A::Rsa, C::Camellia128, M::Gcm, H::Sha256), // TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc08d, K::Ecdh, A::Rsa, C::Camellia256, M::Gcm, H::Sha384), // TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc08e, K::Psk, A::Psk, C::Camellia128, M::Gcm, H::Sha256), // TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc08f, K::Psk, A::Psk, C::Camellia256, M::Gcm, H::Sha384), // TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc090, K::DhePsk, A::Psk, C::Camellia128, M::Gcm, H::Sha256), // TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc091, K::DhePsk, A::Psk, C::Camellia256, M::Gcm, H::Sha384), // TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc092, K::RsaPsk, A::Psk, C::Camellia128, M::Gcm, H::Sha256), // TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256
    s(0xc093, K::RsaPsk, A::Psk, C::Camellia256, M::Gcm, H::Sha384), // TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384
    s(0xc094, K::Psk, A::Psk, C::Camellia128, M::Cbc, H::Sha256), // TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc095, K::Psk, A::Psk, C::Camellia256, M::Cbc, H::Sha384), // TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc096, K::DhePsk, A::Psk, C::Camellia128, M::Cbc, H::Sha256), // TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc097, K::DhePsk, A::Psk, C::Camellia256, M::Cbc, H::Sha384), // TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc098, K::RsaPsk, A::Psk, C::Camellia128, M::Cbc, H::Sha256), // TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc099, K::RsaPsk, A::Psk, C::Camellia256, M::Cbc, H::Sha384), // TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc09a, K::EcdhePsk, A::Psk, C::Camellia128, M::Cbc, H::Sha256), // TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256
    s(0xc09b, K::EcdhePsk, A::Psk, C::Camellia256, M::Cbc, H::Sha384), // TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384
    s(0xc09c, K::Rsa, A::Rsa, C::Aes128, M::Ccm, H::None), // TLS_RSA_WITH_AES_128_CCM
    s(0xc09d, K::Rsa, A::Rsa, C::Aes256, M::Ccm, H::None), // TLS_RSA_WITH_AES_256_CCM
    s(0xc09e, K::Dhe, A::Rsa, C::Aes128, M::Ccm, H::None), // TLS_DHE_RSA_WITH_AES_128_CCM
    s(0xc09f, K::Dhe, A::Rsa, C::Aes256, M::Ccm, H::None), // TLS_DHE_RSA_WITH_AES_256_CCM
    s(0xc0a0, K::Rsa, A::Rsa, C::Aes128, M::Ccm8, H::None), // TLS_RSA_WITH_AES_128_CCM_8
    s(0xc0a1, K::Rsa, A::Rsa, C::Aes256, M::Ccm8, H::None), // TLS_RSA_WITH_AES_256_CCM_8
    s(0xc0a2, K::Dhe, A::Rsa, C::Aes128, M::Ccm8, H::None), // TLS_DHE_RSA_WITH_AES_128_CCM_8
    s(0xc0a3, K::Dhe, A::Rsa, C::Aes256, M::Ccm8, H::None), // TLS_DHE_RSA_WITH_AES_256_CCM_8
    s(0xc0a4, K::Psk, A::Psk, C::Aes128, M::Ccm, H::None), // TLS_PSK_WITH_AES_128_CCM
    s(0xc0a5, K::Psk, A::Psk, C::Aes256, M::Ccm, H::None), // TLS_PSK_WITH_AES_256_CCM
    s(0xc0a6, K::DhePsk, A::Psk, C::Aes128, M::Ccm, H::None), // TLS_DHE_PSK_WITH_AES_128_CCM
    s(0xc0a7, K::DhePsk, A::Psk, C::Aes256, M::Ccm, H::None), // TLS_DHE_PSK_WITH_AES_256_CCM
    s(0xc0a8, K::Psk, A::Psk, C::Aes128, M::Ccm8, H::None), // TLS_PSK_WITH_AES_128_CCM_8
    s(0xc0a9, K::Psk, A::Psk, C::Aes256, M::Ccm8, H::None), // TLS_PSK_WITH_AES_256_CCM_8
    s(0xc0aa, K::DhePsk, A::Psk, C::Aes128, M::Ccm8, H::None), // TLS_PSK_DHE_WITH_AES_128_CCM_8
    s(0xc0ab, K::DhePsk, A::Psk, C::Aes256, M::Ccm8, H::None), // TLS_PSK_DHE_WITH_AES_256_CCM_8
    s(0xc0ac, K::Ecdhe, A::Ecdsa, C::Aes128, M::Ccm, H::None), // TLS_ECDHE_ECDSA_WITH_AES_128_CCM
    s(0xc0ad, K::Ecdhe, A::Ecdsa, C::Aes256, M::Ccm, H::None), // TLS_ECDHE_ECDSA_WITH_AES_256_CCM
    s(0xc0ae, K::Ecdhe, A::Ecdsa, C::Aes128, M::Ccm8, H::None), // TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
    s(0xc0af, K::Ecdhe, A::Ecdsa, C::Aes256, M::Ccm8, H::None), // TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8
    s(0xc0b0, K::EccPwd, A::EccPwd, C::Aes128, M::Gcm, H::Sha256), // TLS_ECCPWD_WITH_AES_128_GCM_SHA256
    s(0xc0b1, K::EccPwd, A::EccPwd, C::Aes256, M::Gcm, H::Sha384), // TLS_ECCPWD_WITH_AES_256_GCM_SHA384
    s(0xc0b2, K::EccPwd, A::EccPwd, C::Aes128, M::Ccm, H::Sha256), // TLS_ECCPWD_WITH_AES_128_CCM_SHA256
    s(0xc0b3, K::EccPwd, A::EccPwd, C::Aes256, M::Ccm, H::Sha384), // TLS_ECCPWD_WITH_AES_256_CCM_SHA384
    s(0xc0b4, K::Negotiated, A::Negotiated, C::Null, M::None, H::Sha256), // TLS_SHA256_SHA256
    s(0xc0b5, K::Negotiated, A::Negotiated, C::Null, M::None, H::Sha384), // TLS_SHA384_SHA384
    s(0xc100, K::Gost, A::Gost, C::Kuznyechik, M::Ctr, H::Omac), // TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC
    s(0xc101, K::Gost, A::Gost, C::Magma, M::Ctr, H::Omac), // TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC
    s(0xc102, K::Gost, A::Gost, C::Gost28147, M::Cnt, H::Imit), // TLS_GOSTR341112_256_WITH_28147_CNT_IMIT
    s(0xc103, K::Negotiated, A::Negotiated, C::Kuznyechik, M::MgmL, H::None), // TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L
    s(0xc104, K::Negotiated, A::Negotiated, C::Magma, M::MgmL, H::None), // TLS_GOSTR341112_256_WITH_MAGMA_MGM_L
    s(0xc105, K::Negotiated, A::Negotiated, C::Kuznyechik, M::MgmS, H::None), // TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S
    s(0xc106, K::Negotiated, A::Negotiated, C::Magma, M::MgmS, H::None), // TLS_GOSTR341112_256_WITH_MAGMA_MGM_S
    s(0xcca8, K::Ecdhe, A::Rsa, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    s(0xcca9, K::Ecdhe, A::Ecdsa, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    s(0xccaa, K::Dhe, A::Rsa, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    s(0xccab, K::Psk, A::Psk, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_PSK_WITH_CHACHA20_POLY1305_SHA256
    s(0xccac, K::EcdhePsk, A::Psk, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256
    s(0xccad, K::DhePsk, A::Psk, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256
    s(0xccae, K::RsaPsk, A::Psk, C::ChaCha20, M::Poly1305, H::Sha256), // TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256
    s(0xd001, K::EcdhePsk, A::Psk, C::Aes128, M::Gcm, H::Sha256), // TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256
    s(0xd002, K::EcdhePsk, A::Psk, C::Aes256, M::Gcm, H::Sha384), // TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384
    s(0xd003, K::EcdhePsk, A::Psk, C::Aes128, M::Ccm8, H::Sha256), // TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256
    s(0xd005, K::EcdhePsk, A::Psk, C::Aes128, M::Ccm, H::Sha256), // TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::names::{cipher_suite_name, is_tls13_suite};

    /// A suite's facts read from its IANA name, to check the table against: the only place
    /// where a suite's name is taken apart.
    fn from_name(code: u16, name: &str) -> SuiteFacts {
        let rest = name.strip_prefix("TLS_").expect(name);
        if rest.ends_with("_SCSV") {
            return s(code, K::Scsv, A::Null, C::Null, M::None, H::None);
        }
        let (kx_part, bulk) = match rest.split_once("_WITH_") {
            Some((kx, bulk)) if !is_tls13_suite(code) => (Some(kx), bulk),
            Some((_, bulk)) => (None, bulk),
            None => (None, rest),
        };
        let (kx, auth, export) = match kx_part {
            None => (K::Negotiated, A::Negotiated, false),
            Some(part) => {
                let (part, export) = match part.strip_suffix("_EXPORT") {
                    Some(p) => (p, true),
                    None => (part, false),
                };
                let (kx, auth) = match part {
                    "NULL" => (K::Null, A::Null),
                    "RSA" => (K::Rsa, A::Rsa),
                    "DH_DSS" => (K::Dh, A::Dss),
                    "DH_RSA" => (K::Dh, A::Rsa),
                    "DHE_DSS" => (K::Dhe, A::Dss),
                    "DHE_RSA" => (K::Dhe, A::Rsa),
                    "DH_anon" => (K::DhAnon, A::Anonymous),
                    "KRB5" => (K::Krb5, A::Krb5),
                    "PSK" => (K::Psk, A::Psk),
                    "DHE_PSK" | "PSK_DHE" => (K::DhePsk, A::Psk),
                    "RSA_PSK" => (K::RsaPsk, A::Psk),
                    "ECDH_ECDSA" => (K::Ecdh, A::Ecdsa),
                    "ECDHE_ECDSA" => (K::Ecdhe, A::Ecdsa),
                    "ECDH_RSA" => (K::Ecdh, A::Rsa),
                    "ECDHE_RSA" => (K::Ecdhe, A::Rsa),
                    "ECDH_anon" => (K::EcdhAnon, A::Anonymous),
                    "SRP_SHA" => (K::Srp, A::Srp),
                    "SRP_SHA_RSA" => (K::Srp, A::Rsa),
                    "SRP_SHA_DSS" => (K::Srp, A::Dss),
                    "ECDHE_PSK" => (K::EcdhePsk, A::Psk),
                    "ECCPWD" => (K::EccPwd, A::EccPwd),
                    "GOSTR341112_256" => (K::Gost, A::Gost),
                    other => panic!("{name}: key exchange {other}"),
                };
                (kx, auth, export)
            }
        };
        // RFC 9150's integrity-only suites name only their hash, twice.
        let bulk = format!("{bulk}_");
        let (cipher, after) = [
            ("NULL_", C::Null),
            ("SHA256_", C::Null),
            ("SHA384_", C::Null),
            ("RC4_128_", C::Rc4),
            ("RC4_40_", C::Rc4),
            ("RC2_", C::Rc2),
            ("IDEA_", C::Idea),
            ("DES40_", C::Des40),
            ("DES_", C::Des),
            ("3DES_EDE_", C::TripleDes),
            ("AES_128_", C::Aes128),
            ("AES_256_", C::Aes256),
            ("CAMELLIA_128_", C::Camellia128),
            ("CAMELLIA_256_", C::Camellia256),
            ("SEED_", C::Seed),
            ("ARIA_128_", C::Aria128),
            ("ARIA_256_", C::Aria256),
            ("CHACHA20_", C::ChaCha20),
            ("SM4_", C::Sm4),
            ("KUZNYECHIK_", C::Kuznyechik),
            ("MAGMA_", C::Magma),
            ("28147_", C::Gost28147),
            ("AEGIS_128L_", C::Aegis128L),
            ("AEGIS_256_", C::Aegis256),
        ]
        .into_iter()
        .find_map(|(p, c)| bulk.strip_prefix(p).map(|rest| (c, rest)))
        .unwrap_or_else(|| panic!("{name}: cipher"));
        let (mut cipher, mode, after) = [
            ("CBC_40_", M::Cbc),
            ("CBC_", M::Cbc),
            ("GCM_", M::Gcm),
            ("CCM_8_", M::Ccm8),
            ("CCM_", M::Ccm),
            ("POLY1305_", M::Poly1305),
            ("CTR_", M::Ctr),
            ("CNT_", M::Cnt),
            ("MGM_L_", M::MgmL),
            ("MGM_S_", M::MgmS),
        ]
        .into_iter()
        .find_map(|(p, m)| after.strip_prefix(p).map(|rest| (cipher, m, rest)))
        .unwrap_or(match cipher {
            C::Rc4 => (cipher, M::Stream, after),
            C::Aegis128L | C::Aegis256 => (cipher, M::Aegis, after),
            _ => (cipher, M::None, after),
        });
        // KRB5's export DES puts the 40 after the mode: `DES_CBC_40`.
        if bulk.starts_with("DES_CBC_40_") {
            cipher = C::Des40;
        }
        let mac = match after.trim_end_matches('_') {
            "" | "NULL" => H::None,
            "MD5" => H::Md5,
            "SHA" => H::Sha1,
            "SHA256" => H::Sha256,
            "SHA384" => H::Sha384,
            "SHA512" => H::Sha512,
            "SM3" => H::Sm3,
            "OMAC" => H::Omac,
            "IMIT" => H::Imit,
            other => panic!("{name}: MAC {other}"),
        };
        if export {
            x(code, kx, auth, cipher, mode, mac)
        } else {
            s(code, kx, auth, cipher, mode, mac)
        }
    }

    fn named() -> impl Iterator<Item = (u16, String)> {
        (0..=u16::MAX)
            .map(|c| (c, cipher_suite_name(c).into_owned()))
            .filter(|(_, n)| n.starts_with("TLS_"))
    }

    #[test]
    fn every_named_suite_has_the_facts_its_name_says() {
        let mut count = 0;
        for (code, name) in named() {
            let f = facts(code).unwrap_or_else(|| panic!("{name} is missing"));
            assert_eq!(*f, from_name(code, &name), "{name}");
            assert_eq!(f.tls13(), is_tls13_suite(code), "{name}");
            count += 1;
        }
        assert_eq!(count, SUITES.len(), "a row without a name");
        assert!(SUITES.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(facts(0x0a0a), None);
    }

    #[test]
    fn a_signalling_value_is_not_an_unencrypted_suite() {
        // The scan offers the SCSVs among TLS 1.2's suites; a server that picks one has not
        // agreed to send records in the clear.
        assert!(!facts(0x00ff).unwrap().unencrypted()); // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
        assert!(!facts(0x5600).unwrap().unencrypted()); // TLS_FALLBACK_SCSV
        assert!(facts(0x0000).unwrap().unencrypted()); // TLS_NULL_WITH_NULL_NULL
        assert!(facts(0x0002).unwrap().unencrypted()); // TLS_RSA_WITH_NULL_SHA
        assert!(!facts(0xc02f).unwrap().unencrypted());
    }

    #[test]
    fn a_few_suites_by_hand() {
        let f = facts(0xc02f).unwrap();
        assert_eq!(
            (f.kx, f.auth, f.cipher, f.mode, f.mac),
            (K::Ecdhe, A::Rsa, C::Aes128, M::Gcm, H::Sha256)
        );
        assert!(f.forward_secrecy() && f.aead() && !f.export && !f.tls13());
        let f = facts(0x0003).unwrap();
        assert_eq!(
            (f.kx, f.cipher, f.mode, f.mac, f.export),
            (K::Rsa, C::Rc4, M::Stream, H::Md5, true)
        );
        let f = facts(0x0029).unwrap();
        assert_eq!(
            (f.kx, f.cipher, f.mode, f.export),
            (K::Krb5, C::Des40, M::Cbc, true)
        );
        let f = facts(0x1303).unwrap();
        assert!(f.tls13() && f.forward_secrecy() && f.aead());
        let f = facts(0x0034).unwrap();
        assert!(f.anonymous() && !f.forward_secrecy());
        assert_eq!(facts(0xc0aa).unwrap().kx, K::DhePsk);
        assert_eq!(facts(0xc0b4).unwrap().cipher, C::Null);
    }

    /// Prints the table's rows from the names: `cargo test --lib print_suite_rows -- --ignored
    /// --nocapture`, for a registry update.
    #[test]
    #[ignore]
    fn print_suite_rows() {
        for (code, name) in named() {
            let f = from_name(code, &name);
            println!(
                "    {}(0x{code:04x}, K::{:?}, A::{:?}, C::{:?}, M::{:?}, H::{:?}), // {name}",
                if f.export { "x" } else { "s" },
                f.kx,
                f.auth,
                f.cipher,
                f.mode,
                f.mac
            );
        }
    }
}
