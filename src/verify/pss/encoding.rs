//! The DER of the AlgorithmIdentifiers `super` matches, built at compile time: RSASSA-PSS
//! with its parameters (RFC 4055 section 3.1) as OpenSSL and GnuTLS write them, and the
//! key algorithms.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    const fn oid(self) -> &'static [u8] {
        match self {
            Hash::Sha256 => &[
                0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
            ],
            Hash::Sha384 => &[
                0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
            ],
            Hash::Sha512 => &[
                0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
            ],
        }
    }

    pub(super) const fn len(self) -> u16 {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// RFC 8017 section 9.1.1: emLen - hLen - 2, emLen = ceil((modBits - 1) / 8).
    pub(super) const fn max_salt(self, modulus_bits: u16) -> u16 {
        (modulus_bits - 1).div_ceil(8) - self.len() - 2
    }
}

/// How a hash AlgorithmIdentifier carries its (empty) parameters: RFC 4055 section 2.1 has
/// writers omit them and readers accept NULL too; OpenSSL writes NULL, GnuTLS omits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HashParams {
    Null,
    Absent,
}

const OID_RSA_ENCRYPTION: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];
const OID_RSASSA_PSS: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
];
const OID_MGF1: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08,
];
const NULL: &[u8] = &[0x05, 0x00];

/// DER bytes built at compile time; every encoding here is under 80 bytes, so lengths are
/// always in short form.
#[derive(Debug, Clone, Copy)]
pub(super) struct Der {
    bytes: [u8; 80],
    len: usize,
}

impl Der {
    const EMPTY: Der = Der {
        bytes: [0; 80],
        len: 0,
    };

    const fn push(mut self, part: &[u8]) -> Der {
        let mut i = 0;
        while i < part.len() {
            self.bytes[self.len] = part[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn push_der(self, part: &Der) -> Der {
        self.push(part.as_slice())
    }

    /// `contents` wrapped in `tag` with its length.
    const fn tlv(tag: u8, contents: &Der) -> Der {
        assert!(contents.len < 0x80, "long-form length");
        Der::EMPTY
            .push(&[tag, contents.len as u8])
            .push_der(contents)
    }

    pub(super) const fn as_slice(&self) -> &[u8] {
        self.bytes.split_at(self.len).0
    }
}

/// AlgorithmIdentifier SEQUENCE for a SHA-2 hash.
const fn hash_id(hash: Hash, params: HashParams) -> Der {
    let contents = Der::EMPTY.push(hash.oid());
    let contents = match params {
        HashParams::Null => contents.push(NULL),
        HashParams::Absent => contents,
    };
    Der::tlv(0x30, &contents)
}

/// INTEGER, minimal two's complement.
const fn integer(value: u16) -> Der {
    let [hi, lo] = value.to_be_bytes();
    let contents = if value < 0x80 {
        Der::EMPTY.push(&[lo])
    } else if value < 0x100 {
        Der::EMPTY.push(&[0, lo])
    } else {
        assert!(value < 0x8000, "salt too long");
        Der::EMPTY.push(&[hi, lo])
    };
    Der::tlv(0x02, &contents)
}

/// Contents of an id-RSASSA-PSS AlgorithmIdentifier with RSASSA-PSS-params (RFC 4055 section
/// 3.1): `hash`, MGF1 with `hash`, `salt`, the default trailer field left out.
pub(super) const fn pss(hash: Hash, params: HashParams, salt: u16) -> Der {
    let hash_alg = hash_id(hash, params);
    let mgf = Der::tlv(0x30, &Der::EMPTY.push(OID_MGF1).push_der(&hash_alg));
    let pss_params = Der::EMPTY
        .push_der(&Der::tlv(0xa0, &hash_alg))
        .push_der(&Der::tlv(0xa1, &mgf))
        .push_der(&Der::tlv(0xa2, &integer(salt)));
    Der::EMPTY
        .push(OID_RSASSA_PSS)
        .push_der(&Der::tlv(0x30, &pss_params))
}

/// id-RSASSA-PSS with no parameters: a key that may sign with any PSS parameters.
pub(super) static KEY_PSS_ANY: Der = Der::EMPTY.push(OID_RSASSA_PSS);
/// rsaEncryption, NULL parameters (RFC 3279 section 2.3.1).
pub(super) static KEY_RSA: Der = Der::EMPTY.push(OID_RSA_ENCRYPTION).push(NULL);

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn encoded(hash: Hash, params: HashParams, salt: u16) -> String {
        hex(pss(hash, params, salt).as_slice())
    }

    /// As OpenSSL 3.0.19 and GnuTLS 3.7.9 wrote them (SubjectPublicKeyInfo and signatureAlgorithm
    /// AlgorithmIdentifier contents).
    #[test]
    fn encodings_are_the_ones_openssl_and_gnutls_write() {
        let pss_oid = "06092a864886f70d01010a";
        let sha256_null = "a00f300d06096086480165030402010500";
        let mgf1_sha256_null = "a11c301a06092a864886f70d010108300d06096086480165030402010500";
        assert_eq!(hex(KEY_PSS_ANY.as_slice()), pss_oid);
        assert_eq!(hex(KEY_RSA.as_slice()), "06092a864886f70d0101010500");
        // genpkey -algorithm RSA-PSS -pkeyopt rsa_pss_keygen_md:sha256 ..._mgf1_md:sha256
        // ..._saltlen:32, and a certificate it signs.
        assert_eq!(
            encoded(Hash::Sha256, HashParams::Null, 32),
            format!("{pss_oid}3034{sha256_null}{mgf1_sha256_null}a203020120")
        );
        // A certificate signed by an unrestricted 2048-bit key: the longest salt, 222.
        assert_eq!(
            encoded(Hash::Sha256, HashParams::Null, Hash::Sha256.max_salt(2048)),
            format!("{pss_oid}3035{sha256_null}{mgf1_sha256_null}a204020200de")
        );
        assert!(
            encoded(Hash::Sha384, HashParams::Null, Hash::Sha384.max_salt(2048))
                .ends_with("a204020200ce")
        );
        assert!(
            encoded(Hash::Sha512, HashParams::Null, Hash::Sha512.max_salt(2048))
                .ends_with("a204020200be")
        );
        assert!(
            encoded(Hash::Sha256, HashParams::Null, Hash::Sha256.max_salt(3072))
                .ends_with("a2040202015e")
        );
        assert!(
            encoded(Hash::Sha256, HashParams::Null, Hash::Sha256.max_salt(4096))
                .ends_with("a204020201de")
        );
        // certtool --key-type rsa-pss --hash SHA384: hash identifiers without NULL.
        assert_eq!(
            encoded(Hash::Sha384, HashParams::Absent, 48),
            format!(
                "{pss_oid}3030a00d300b0609608648016503040202\
                 a11a301806092a864886f70d010108300b0609608648016503040202a203020130"
            )
        );
    }
}
