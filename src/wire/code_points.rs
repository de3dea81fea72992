//! TLS code points as types: each registry a newtype over its integer (`CipherSuite(pub u16)`),
//! with named constants for the values tlsprobe uses. Any value of the integer is a valid
//! instance (a peer may send anything); `Display` prints the IANA name from [`super::names`],
//! or the number (`0x%04x`, `0x%02x` for one-byte registries) for a value without one.
//! Modelled on rustls's `enum_builder!` (msgs/macros.rs).

use std::fmt;

use super::codec::Codec;
use super::names;
use super::reader::Reader;

macro_rules! code_point {
    (
        $(#[$doc:meta])*
        $name:ident($int:ty) shown by $show:path {
            $( $(#[$cdoc:meta])* $konst:ident = $val:expr, )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub $int);

        impl $name {
            $( $(#[$cdoc])* pub const $konst: $name = $name($val); )*
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&$show(self.0))
            }
        }

        impl From<$int> for $name {
            fn from(v: $int) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $int {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        impl Codec for $name {
            fn encode(&self, out: &mut Vec<u8>) {
                self.0.encode(out);
            }

            fn read(r: &mut Reader<'_>) -> Option<Self> {
                <$int>::read(r).map($name)
            }
        }
    };
}

code_point! {
    /// A protocol version: `SSLv3`, `TLSv1.0` .. `TLSv1.3` (and the DTLS ones).
    ProtocolVersion(u16) shown by names::version_name {
        SSL3 = 0x0300,
        TLS1_0 = 0x0301,
        TLS1_1 = 0x0302,
        TLS1_2 = 0x0303,
        TLS1_3 = 0x0304,
    }
}

code_point! {
    /// A record's content type: `change_cipher_spec`, `alert`, `handshake`,
    /// `application_data`, `heartbeat`.
    ContentType(u8) shown by names::content_type_name {
        CHANGE_CIPHER_SPEC = 20,
        ALERT = 21,
        HANDSHAKE = 22,
        APPLICATION_DATA = 23,
        HEARTBEAT = 24,
    }
}

code_point! {
    /// A cipher suite, named `TLS_...` as IANA does.
    CipherSuite(u16) shown by names::cipher_suite_name {
        TLS_NULL_WITH_NULL_NULL = 0x0000,
        /// The secure renegotiation signal (RFC 5746), sent as a suite.
        TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff,
        TLS_FALLBACK_SCSV = 0x5600,
        TLS13_AES_128_GCM_SHA256 = 0x1301,
        TLS13_AES_256_GCM_SHA384 = 0x1302,
        TLS13_CHACHA20_POLY1305_SHA256 = 0x1303,
        TLS13_AES_128_CCM_SHA256 = 0x1304,
        TLS13_AES_128_CCM_8_SHA256 = 0x1305,
    }
}

impl ProtocolVersion {
    /// SSL 3.0, TLS 1.0 and TLS 1.1: deprecated (RFC 8996) and refused by current clients.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            ProtocolVersion::SSL3 | ProtocolVersion::TLS1_0 | ProtocolVersion::TLS1_1
        )
    }
}

impl NamedGroup {
    /// An RFC 7919 finite-field group (`ffdhe2048` .. `ffdhe8192`, and the range IANA keeps
    /// for more), as opposed to an elliptic curve or a hybrid.
    pub fn is_ffdhe(self) -> bool {
        (0x0100..=0x01ff).contains(&self.0)
    }
}

impl CipherSuite {
    /// The five suites RFC 8446 defines, the ones a TLS 1.3 ClientHello of ours offers.
    pub const RFC8446: [CipherSuite; 5] = [
        CipherSuite::TLS13_AES_128_GCM_SHA256,
        CipherSuite::TLS13_AES_256_GCM_SHA384,
        CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
        CipherSuite::TLS13_AES_128_CCM_SHA256,
        CipherSuite::TLS13_AES_128_CCM_8_SHA256,
    ];

    /// A suite only TLS 1.3 uses (it names no key exchange): the [`CipherSuite::RFC8446`]
    /// ones and the SM4, GOST MGM and integrity-only ones.
    pub fn is_tls13(self) -> bool {
        names::is_tls13_suite(self.0)
    }
}

code_point! {
    /// A key-exchange group (supported_groups, key_share, ServerKeyExchange's named curve).
    NamedGroup(u16) shown by names::group_name {
        SECP256R1 = 23,
        SECP384R1 = 24,
        SECP521R1 = 25,
        X25519 = 29,
        X448 = 30,
        FFDHE2048 = 256,
        FFDHE3072 = 257,
        FFDHE4096 = 258,
        FFDHE6144 = 259,
        FFDHE8192 = 260,
        SECP256R1MLKEM768 = 4587,
        X25519MLKEM768 = 4588,
        SECP384R1MLKEM1024 = 4589,
    }
}

code_point! {
    /// A signature scheme (TLS 1.2's SignatureAndHashAlgorithm read as one u16).
    SignatureScheme(u16) shown by names::signature_scheme_name {
        RSA_PKCS1_SHA1 = 0x0201,
        DSA_SHA1 = 0x0202,
        ECDSA_SHA1 = 0x0203,
        RSA_PKCS1_SHA256 = 0x0401,
        DSA_SHA256 = 0x0402,
        ECDSA_SECP256R1_SHA256 = 0x0403,
        RSA_PKCS1_SHA384 = 0x0501,
        ECDSA_SECP384R1_SHA384 = 0x0503,
        RSA_PKCS1_SHA512 = 0x0601,
        ECDSA_SECP521R1_SHA512 = 0x0603,
        RSA_PSS_RSAE_SHA256 = 0x0804,
        RSA_PSS_RSAE_SHA384 = 0x0805,
        RSA_PSS_RSAE_SHA512 = 0x0806,
        ED25519 = 0x0807,
        ED448 = 0x0808,
        RSA_PSS_PSS_SHA256 = 0x0809,
        RSA_PSS_PSS_SHA384 = 0x080a,
        RSA_PSS_PSS_SHA512 = 0x080b,
    }
}

code_point! {
    /// An extension's type.
    ExtensionType(u16) shown by names::extension_name {
        SERVER_NAME = 0,
        STATUS_REQUEST = 5,
        SUPPORTED_GROUPS = 10,
        EC_POINT_FORMATS = 11,
        SIGNATURE_ALGORITHMS = 13,
        HEARTBEAT = 15,
        ALPN = 16,
        SIGNED_CERTIFICATE_TIMESTAMP = 18,
        ENCRYPT_THEN_MAC = 22,
        EXTENDED_MASTER_SECRET = 23,
        SESSION_TICKET = 35,
        EARLY_DATA = 42,
        SUPPORTED_VERSIONS = 43,
        PSK_KEY_EXCHANGE_MODES = 45,
        CERTIFICATE_AUTHORITIES = 47,
        KEY_SHARE = 51,
        RENEGOTIATION_INFO = 0xff01,
    }
}

code_point! {
    /// A handshake message's type, shown in the CamelCase of the report's `type` values
    /// (`Unknown(N)` for one without a name).
    HandshakeType(u8) shown by names::handshake_name {
        HELLO_REQUEST = 0,
        CLIENT_HELLO = 1,
        SERVER_HELLO = 2,
        NEW_SESSION_TICKET = 4,
        END_OF_EARLY_DATA = 5,
        /// RFC 8446's HelloRetryRequest travels as a ServerHello; the draft's own type number
        /// names it here ([`super::handshake::Parsed::kind`]).
        HELLO_RETRY_REQUEST = 6,
        ENCRYPTED_EXTENSIONS = 8,
        CERTIFICATE = 11,
        SERVER_KEY_EXCHANGE = 12,
        CERTIFICATE_REQUEST = 13,
        SERVER_HELLO_DONE = 14,
        CERTIFICATE_VERIFY = 15,
        CLIENT_KEY_EXCHANGE = 16,
        FINISHED = 20,
        CERTIFICATE_STATUS = 22,
        KEY_UPDATE = 24,
    }
}

code_point! {
    /// An alert's description: `handshake_failure`, `unrecognized_name`, ...
    AlertDescription(u8) shown by names::alert_name {
        CLOSE_NOTIFY = 0,
        HANDSHAKE_FAILURE = 40,
        PROTOCOL_VERSION = 70,
        INAPPROPRIATE_FALLBACK = 86,
        USER_CANCELED = 90,
    }
}

code_point! {
    /// An alert's level: `warning` or `fatal`.
    AlertLevel(u8) shown by names::alert_level_name {
        WARNING = 1,
        FATAL = 2,
    }
}

code_point! {
    /// A TLS 1.2 CertificateRequest's certificate type: `rsa_sign`, `ecdsa_sign`, ...
    CertificateType(u8) shown by names::certificate_type_name {
        RSA_SIGN = 1,
        ECDSA_SIGN = 64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_by_name_or_number() {
        assert_eq!(ProtocolVersion::TLS1_3.to_string(), "TLSv1.3");
        assert_eq!(ProtocolVersion(0x7f1c).to_string(), "0x7f1c");
        assert_eq!(
            CipherSuite::TLS13_AES_128_GCM_SHA256.to_string(),
            "TLS_AES_128_GCM_SHA256"
        );
        assert_eq!(CipherSuite(0x0a0a).to_string(), "0x0a0a");
        assert_eq!(NamedGroup::X25519MLKEM768.to_string(), "X25519MLKEM768");
        assert_eq!(NamedGroup(0x2a2a).to_string(), "0x2a2a");
        assert_eq!(SignatureScheme::ED25519.to_string(), "ed25519");
        assert_eq!(
            ExtensionType::ALPN.to_string(),
            "application_layer_protocol_negotiation"
        );
        assert_eq!(
            ExtensionType::RENEGOTIATION_INFO.to_string(),
            "renegotiation_info"
        );
        assert_eq!(
            HandshakeType::HELLO_RETRY_REQUEST.to_string(),
            "HelloRetryRequest"
        );
        assert_eq!(HandshakeType(99).to_string(), "Unknown(99)");
        assert_eq!(AlertDescription(200).to_string(), "0xc8");
        assert_eq!(AlertLevel::FATAL.to_string(), "fatal");
        assert_eq!(AlertLevel(9).to_string(), "0x09");
        assert_eq!(CertificateType::ECDSA_SIGN.to_string(), "ecdsa_sign");
        assert_eq!(
            AlertDescription::PROTOCOL_VERSION.to_string(),
            "protocol_version"
        );
        assert_eq!(
            ContentType::APPLICATION_DATA.to_string(),
            "application_data"
        );
        assert_eq!(ContentType(99).to_string(), "0x63");
    }

    #[test]
    fn every_named_constant_has_its_registry_name() {
        for g in [
            NamedGroup::SECP256R1,
            NamedGroup::SECP384R1,
            NamedGroup::SECP521R1,
            NamedGroup::X448,
            NamedGroup::FFDHE2048,
            NamedGroup::FFDHE8192,
            NamedGroup::SECP256R1MLKEM768,
            NamedGroup::SECP384R1MLKEM1024,
        ] {
            assert!(!g.to_string().starts_with("0x"), "{g:?}");
        }
        assert!(CipherSuite::RFC8446.iter().all(|s| s.is_tls13()));
        assert!(!CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV.is_tls13());
    }
}
