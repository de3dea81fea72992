//! TLS 1.2 record decryption from the master secret rustls logs as `CLIENT_RANDOM`.
//!
//! The key block is PRF(master_secret, "key expansion", server_random + client_random)
//! (RFC 5246 section 6.3); for the AEAD suites it holds each side's write key and IV, no MAC
//! keys. AES-GCM records carry an explicit 8-byte nonce after the 4-byte IV salt (RFC 5288);
//! ChaCha20-Poly1305 XORs the sequence number into a 12-byte IV (RFC 7905). The additional data
//! is seq_num + type + version + plaintext length. Each side's sequence number starts at 0 with
//! its ChangeCipherSpec, which is where the transcript starts asking. Pure, like the TLS 1.3
//! decryptor.

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey, NONCE_LEN};
use aws_lc_rs::{digest, hmac};

use super::Secrets;
use crate::report::Side;
use crate::transcript::Decrypt;
use crate::wire::code_points::{CipherSuite, ContentType, HandshakeType};
use crate::wire::suites::{facts, Mac, Mode};

/// The AEAD tag's length, for every suite here.
const TAG_LEN: usize = 16;

/// How a suite's records are sealed.
#[derive(Debug, Clone, Copy)]
struct Suite {
    aead: &'static aead::Algorithm,
    prf: hmac::Algorithm,
    /// GCM: a 4-byte salt and an explicit nonce per record; ChaCha20: a 12-byte IV.
    explicit_nonce: bool,
}

impl Suite {
    fn of(code: CipherSuite) -> Option<Suite> {
        let f = facts(code.0)?;
        if f.tls13() {
            return None;
        }
        let prf = match f.mac {
            Mac::Sha256 => hmac::HMAC_SHA256,
            Mac::Sha384 => hmac::HMAC_SHA384,
            _ => return None,
        };
        use crate::wire::suites::Cipher;
        let (aead, explicit_nonce) = match (f.cipher, f.mode) {
            (Cipher::Aes128, Mode::Gcm) => (&aead::AES_128_GCM, true),
            (Cipher::Aes256, Mode::Gcm) => (&aead::AES_256_GCM, true),
            (Cipher::ChaCha20, Mode::Poly1305) => (&aead::CHACHA20_POLY1305, false),
            _ => return None,
        };
        Some(Suite {
            aead,
            prf,
            explicit_nonce,
        })
    }

    fn iv_len(self) -> usize {
        if self.explicit_nonce {
            4
        } else {
            NONCE_LEN
        }
    }
}

/// One direction's key, IV and sequence number.
struct Direction {
    key: LessSafeKey,
    iv: Vec<u8>,
    seq: u64,
}

impl Direction {
    fn open(
        &mut self,
        suite: Suite,
        header: &[u8],
        fragment: &[u8],
    ) -> Option<(ContentType, Vec<u8>)> {
        let (&content_type, rest) = header.split_first()?;
        let version = rest.get(..2)?;
        let (nonce, sealed) = if suite.explicit_nonce {
            let (explicit, sealed) = (fragment.get(..8)?, fragment.get(8..)?);
            let mut nonce = [0u8; NONCE_LEN];
            nonce[..4].copy_from_slice(&self.iv);
            nonce[4..].copy_from_slice(explicit);
            (nonce, sealed)
        } else {
            let mut nonce = [0u8; NONCE_LEN];
            nonce.copy_from_slice(&self.iv);
            for (n, s) in nonce[4..].iter_mut().zip(self.seq.to_be_bytes()) {
                *n ^= s;
            }
            (nonce, fragment)
        };
        let plain_len = u16::try_from(sealed.len().checked_sub(TAG_LEN)?).ok()?;
        let aad = [
            &self.seq.to_be_bytes()[..],
            &[content_type],
            version,
            &plain_len.to_be_bytes(),
        ]
        .concat();
        let mut buf = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut buf,
            )
            .ok()?;
        let len = plain.len();
        self.seq = self.seq.checked_add(1)?;
        buf.truncate(len);
        Some((ContentType(content_type), buf))
    }
}

/// Opens a TLS 1.2 connection's encrypted records (AES-GCM and ChaCha20-Poly1305 suites).
pub struct Tls12Decryptor {
    suite: Suite,
    master: Vec<u8>,
    client: Direction,
    server: Direction,
}

impl Tls12Decryptor {
    /// Keys for both directions; `None` when the suite is not an AEAD suite of TLS 1.2 or the
    /// master secret was not logged (the handshake ended before it was derived).
    pub fn new(
        suite_code: CipherSuite,
        secrets: &Secrets,
        server_random: &[u8; 32],
    ) -> Option<Tls12Decryptor> {
        let suite = Suite::of(suite_code)?;
        let master = secrets.get("CLIENT_RANDOM")?;
        let (key_len, iv_len) = (suite.aead.key_len(), suite.iv_len());
        let seed = [&server_random[..], &secrets.client_random].concat();
        let block = prf(
            suite.prf,
            master,
            b"key expansion",
            &seed,
            2 * (key_len + iv_len),
        );
        let (client_key, rest) = block.split_at(key_len);
        let (server_key, rest) = rest.split_at(key_len);
        let (client_iv, server_iv) = rest.split_at(iv_len);
        let direction = |key: &[u8], iv: &[u8]| -> Option<Direction> {
            Some(Direction {
                key: LessSafeKey::new(UnboundKey::new(suite.aead, key).ok()?),
                iv: iv.to_vec(),
                seq: 0,
            })
        };
        Some(Tls12Decryptor {
            suite,
            master: master.to_vec(),
            client: direction(client_key, client_iv)?,
            server: direction(server_key, server_iv)?,
        })
    }
}

impl Decrypt for Tls12Decryptor {
    fn decrypt(
        &mut self,
        side: Side,
        header: &[u8],
        ciphertext: &[u8],
    ) -> Option<(ContentType, Vec<u8>)> {
        let suite = self.suite;
        match side {
            Side::Client => self.client.open(suite, header, ciphertext),
            Side::Server => self.server.open(suite, header, ciphertext),
        }
    }

    fn on_handshake(&mut self, _side: Side, _msg_type: HandshakeType) {}

    /// verify_data = PRF(master_secret, "client finished" or "server finished",
    /// Hash(handshake_messages)), 12 bytes (RFC 5246 section 7.4.9).
    fn check_finished(&mut self, side: Side, handshake: &[u8], verify_data: &[u8]) -> Option<bool> {
        let label: &[u8] = match side {
            Side::Client => b"client finished",
            Side::Server => b"server finished",
        };
        let hash = if self.suite.prf == hmac::HMAC_SHA384 {
            &digest::SHA384
        } else {
            &digest::SHA256
        };
        let hashed = digest::digest(hash, handshake);
        let expected = prf(self.suite.prf, &self.master, label, hashed.as_ref(), 12);
        Some(expected == verify_data)
    }
}

/// The TLS 1.2 PRF: P_hash(secret, label + seed), `len` bytes (RFC 5246 section 5).
pub(crate) fn prf(
    alg: hmac::Algorithm,
    secret: &[u8],
    label: &[u8],
    seed: &[u8],
    len: usize,
) -> Vec<u8> {
    let key = hmac::Key::new(alg, secret);
    let label_seed = [label, seed].concat();
    let mut a = hmac::sign(&key, &label_seed).as_ref().to_vec();
    let mut out = Vec::with_capacity(len + 64);
    while out.len() < len {
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(&a);
        ctx.update(&label_seed);
        out.extend_from_slice(ctx.sign().as_ref());
        a = hmac::sign(&key, &a).as_ref().to_vec();
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prf_matches_a_published_vector() {
        // The TLS 1.2 PRF (SHA-256) test vector of the IETF TLS list (Erik Hoffmann's
        // "PRF Testvector"), as used by several implementations' tests.
        let secret = hex("9bbe436ba940f017b17652849a71db35");
        let seed = hex("a0ba9f936cda311827a6f796ffd5198c");
        let out = prf(hmac::HMAC_SHA256, &secret, b"test label", &seed, 100);
        assert_eq!(
            out,
            hex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66")
        );
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
