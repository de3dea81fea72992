//! A TLS 1.0-1.2 server's first flight: everything it sends in answer to a ClientHello before
//! it waits for the client's key exchange, all of it plaintext (RFC 5246 section 7.3):
//! ServerHello, Certificate, CertificateStatus, ServerKeyExchange, CertificateRequest,
//! ServerHelloDone. Read from the server's bytes alone, so that a server no TLS library of
//! ours will finish a handshake with can still show its chain, its staple and its choices.
//!
//! Pure and total: any bytes give a [`FirstFlight`], which says how far they got
//! ([`End`]). The parts are kept as the server sent them (the certificates' DER, the
//! signed parameters and the signature) for the verifier to judge.

use super::code_points::{AlertDescription, HandshakeType, ProtocolVersion, SignatureScheme};
use super::error::{Error, Need};
use super::handshake::{self, Context};
use super::hello::ServerHello;
use super::key_exchange::{self as kx, key_exchange, KeyExchange};
use super::reader::Reader;
use super::record::{self, Tail};

/// What the server's first flight held, as far as its bytes went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstFlight {
    /// The ServerHello, and its random (which the ServerKeyExchange signature covers).
    pub hello: Option<(ServerHello, [u8; 32])>,
    /// The Certificate message's certificates, leaf first, as DER.
    pub certificates: Vec<Vec<u8>>,
    /// The CertificateStatus message's OCSP response (RFC 6066 section 8), DER.
    pub ocsp_response: Option<Vec<u8>>,
    /// The ServerKeyExchange, when the suite's is signed.
    pub key_exchange: Option<SignedParams>,
    /// The server sent a CertificateRequest.
    pub certificate_request: bool,
    pub end: End,
}

/// A signed ServerKeyExchange, split as its signature covers it: `client_random +
/// server_random + params` (RFC 5246 section 7.4.3, RFC 8422 section 5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedParams {
    /// The ServerDHParams or ServerECDHParams, as sent.
    pub params: Vec<u8>,
    /// TLS 1.2 names the scheme; TLS 1.0 and 1.1 imply it from the key (None).
    pub scheme: Option<SignatureScheme>,
    pub signature: Vec<u8>,
}

/// How far the bytes got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum End {
    /// More is to come: the flight has not ended yet.
    #[default]
    More,
    /// The ServerHelloDone arrived: the flight is whole.
    Done,
    /// The server sent an alert (its first description; close_notify for an empty one).
    Alert(AlertDescription),
    /// The server chose TLS 1.3, whose flight after the ServerHello is encrypted.
    Tls13,
    /// Bytes that are not TLS, or a record of a type that has no place here.
    NotTls,
    /// A message that does not parse, or one out of place.
    Malformed(Problem),
}

/// What is wrong with a first flight that does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{0}")]
    Field(#[from] Error),
    #[error("a {0} message where the first flight has no place for one")]
    OutOfPlace(HandshakeType),
    #[error("a CertificateStatus of type {0}, not ocsp")]
    NotOcsp(u8),
    #[error("a ServerKeyExchange with explicit curve parameters")]
    ExplicitCurve,
}

impl End {
    /// Nothing more will change the flight.
    pub fn is_settled(self) -> bool {
        self != End::More
    }
}

/// Read the server's bytes as a first flight.
pub fn read(server_bytes: &[u8]) -> FirstFlight {
    let mut flight = FirstFlight::default();
    let (records, tail) = record::split(server_bytes);
    let mut handshake_bytes = Vec::new();
    for r in &records {
        match r.content_type {
            record::HANDSHAKE => handshake_bytes.extend_from_slice(r.fragment),
            record::ALERT => {
                let first = super::alert::alerts(r.fragment)
                    .first()
                    .and_then(|a| a.description);
                flight.end = End::Alert(first.unwrap_or(AlertDescription::CLOSE_NOTIFY));
                break;
            }
            // A TLS 1.3 server's compatibility ChangeCipherSpec and encrypted records.
            record::CHANGE_CIPHER_SPEC | record::APPLICATION_DATA => break,
            _ => {
                flight.end = End::NotTls;
                break;
            }
        }
    }
    // The handshake messages that came before the alert, if one did, are read all the same:
    // a server may send its hello and certificates and then refuse.
    let end = flight.end;
    flight.end = End::More;
    messages(&handshake_bytes, &mut flight);
    if flight.end == End::More {
        flight.end = match (end, tail) {
            (End::More, Tail::NotTls { .. }) => End::NotTls,
            (end, _) => end,
        };
    }
    flight
}

/// Read the whole messages in `bytes` into `flight`, until its end is settled.
fn messages(bytes: &[u8], flight: &mut FirstFlight) {
    let mut ctx = Context::default();
    for (msg_type, body) in handshake::messages(bytes) {
        let seen_hello = flight.hello.is_some();
        let result = match msg_type {
            HandshakeType::SERVER_HELLO if !seen_hello => server_hello(body, flight, &mut ctx),
            HandshakeType::HELLO_REQUEST => Ok(()), // may come at any time; means nothing here
            other if !seen_hello => Err(Problem::OutOfPlace(other)),
            HandshakeType::CERTIFICATE => certificates(body).map(|c| flight.certificates = c),
            HandshakeType::CERTIFICATE_STATUS => {
                ocsp_response(body).map(|o| flight.ocsp_response = Some(o))
            }
            HandshakeType::SERVER_KEY_EXCHANGE => {
                signed_params(body, &ctx).map(|k| flight.key_exchange = k)
            }
            HandshakeType::CERTIFICATE_REQUEST => {
                flight.certificate_request = true;
                Ok(())
            }
            HandshakeType::SERVER_HELLO_DONE => {
                flight.end = End::Done;
                return;
            }
            other => Err(Problem::OutOfPlace(other)),
        };
        if let Err(e) = result {
            flight.end = End::Malformed(e);
            return;
        }
        if flight.end.is_settled() {
            return;
        }
    }
}

fn server_hello(body: &[u8], flight: &mut FirstFlight, ctx: &mut Context) -> Result<(), Problem> {
    let mut r = Reader::new(body);
    r.u16().need("legacy_version")?;
    let random: [u8; 32] = r.bytes(32).and_then(|b| b.try_into().ok()).need("random")?;
    let hello = handshake::server_hello(body).need("ServerHello")?;
    if hello.retry_request || hello.version >= ProtocolVersion::TLS1_3 {
        flight.end = End::Tls13;
    }
    ctx.version = Some(hello.version);
    ctx.suite = Some(hello.cipher_suite);
    flight.hello = Some((hello, random));
    Ok(())
}

/// certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1> (RFC 5246 section 7.4.2).
fn certificates(body: &[u8]) -> Result<Vec<Vec<u8>>, Problem> {
    let mut r = Reader::new(body);
    let mut list = r.vec24().need("certificate_list")?;
    r.end("certificate_list")?;
    let mut out = Vec::new();
    super::auth::each_certificate(&mut list, false, |der| out.push(der.to_vec()))?;
    Ok(out)
}

/// CertificateStatus: status_type ocsp(1), then OCSPResponse<1..2^24-1> (RFC 6066 section 8).
fn ocsp_response(body: &[u8]) -> Result<Vec<u8>, Problem> {
    const OCSP: u8 = 1;
    let mut r = Reader::new(body);
    let status_type = r.u8().need("status_type")?;
    if status_type != OCSP {
        return Err(Problem::NotOcsp(status_type));
    }
    let response = r.vec24().need("ocsp_response")?.rest().to_vec();
    r.end("CertificateStatus")?;
    Ok(response)
}

/// The signed parts of a ServerKeyExchange; None for one that is not signed (anonymous and
/// PSK key exchanges) or whose layout we do not decode.
fn signed_params(body: &[u8], ctx: &Context) -> Result<Option<SignedParams>, Problem> {
    let suite = ctx.suite.map_or(0, |s| s.0);
    let mut r = Reader::new(body);
    match key_exchange(suite) {
        KeyExchange::Ecdhe { signed: true } => {
            // A named curve only (explicit curves are deprecated: RFC 8422).
            if kx::ec_params(&mut r)?.group.is_none() {
                return Err(Problem::ExplicitCurve);
            }
        }
        KeyExchange::Dhe { signed: true } => {
            kx::dh_params(&mut r)?;
        }
        _ => return Ok(None),
    }
    let params_len = body.len().saturating_sub(r.rest().len());
    let params = body.get(..params_len).unwrap_or_default().to_vec();
    let scheme = kx::signature_scheme(&mut r, ctx.version)?;
    let signature = kx::signature(&mut r)?.to_vec();
    Ok(Some(SignedParams {
        params,
        scheme,
        signature,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::code_points::CipherSuite;

    fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
        let mut out = vec![content_type, 3, 3];
        out.extend_from_slice(&u16::try_from(fragment.len()).unwrap().to_be_bytes());
        out.extend_from_slice(fragment);
        out
    }

    fn message(msg_type: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![msg_type];
        out.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes()[1..]);
        out.extend_from_slice(body);
        out
    }

    /// A TLS 1.2 ServerHello choosing `suite`, with no extensions.
    fn hello(suite: u16) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend_from_slice(&[7; 32]);
        body.push(0); // no session id
        body.extend_from_slice(&suite.to_be_bytes());
        body.push(0); // no compression
        message(2, &body)
    }

    fn certificate(ders: &[&[u8]]) -> Vec<u8> {
        let mut list = Vec::new();
        for d in ders {
            list.extend_from_slice(&u32::try_from(d.len()).unwrap().to_be_bytes()[1..]);
            list.extend_from_slice(d);
        }
        let mut body = u32::try_from(list.len()).unwrap().to_be_bytes()[1..].to_vec();
        body.extend_from_slice(&list);
        message(11, &body)
    }

    #[test]
    fn a_whole_ecdhe_flight_over_several_records() {
        // ECDHE_RSA with AES_128_GCM: x25519, a 2-byte point, rsa_pkcs1_sha256, a 3-byte
        // signature.
        let ske = [3, 0, 29, 2, 0xaa, 0xbb, 4, 1, 0, 3, 1, 2, 3];
        let status = [1, 0, 0, 2, 0x30, 0x00];
        let mut hs = hello(0xc02f);
        hs.extend(certificate(&[b"leaf", b"intermediate"]));
        hs.extend(message(22, &status));
        hs.extend(message(12, &ske));
        hs.extend(message(13, &[1, 1, 0, 2, 4, 1, 0, 0]));
        hs.extend(message(14, &[]));
        let (a, b) = hs.split_at(40);
        let mut bytes = record(22, a);
        bytes.extend(record(22, b));
        let f = read(&bytes);
        assert_eq!(f.end, End::Done);
        let (sh, random) = f.hello.clone().unwrap();
        assert_eq!(
            (sh.version, sh.cipher_suite, random),
            (ProtocolVersion::TLS1_2, CipherSuite(0xc02f), [7; 32])
        );
        assert_eq!(
            f.certificates,
            vec![b"leaf".to_vec(), b"intermediate".to_vec()]
        );
        assert_eq!(f.ocsp_response, Some(vec![0x30, 0x00]));
        assert_eq!(
            f.key_exchange,
            Some(SignedParams {
                params: ske[..6].to_vec(),
                scheme: Some(SignatureScheme::RSA_PKCS1_SHA256),
                signature: vec![1, 2, 3],
            })
        );
        assert!(f.certificate_request);
        // Cut anywhere before the ServerHelloDone, the flight is not settled yet, and what
        // came whole is already read.
        for cut in 0..bytes.len() - 1 {
            let f = read(&bytes[..cut]);
            assert_eq!(f.end, End::More, "cut at {cut}");
        }
        assert_eq!(read(&bytes[..60]).certificates.len(), 0);
    }

    #[test]
    fn tls10_dhe_signs_without_a_scheme_and_rsa_has_no_key_exchange() {
        let mut h = hello(0x0033); // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
        h[4] = 1; // ServerHello.version TLS 1.0
        let ske = [0, 1, 0xfb, 0, 1, 2, 0, 1, 5, 0, 2, 9, 9];
        let mut hs = h;
        hs.extend(message(12, &ske));
        hs.extend(message(14, &[]));
        let f = read(&record(22, &hs));
        assert_eq!(f.end, End::Done);
        let k = f.key_exchange.unwrap();
        assert_eq!(
            (k.params.len(), k.scheme, k.signature),
            (9, None, vec![9, 9])
        );
        // TLS_RSA_WITH_AES_128_CBC_SHA: a ServerKeyExchange is not decoded, and no error.
        let mut hs = hello(0x002f);
        hs.extend(message(14, &[]));
        let f = read(&record(22, &hs));
        assert_eq!((f.end, f.key_exchange), (End::Done, None));
    }

    #[test]
    fn alerts_tls13_garbage_and_disorder_settle_the_flight() {
        let mut bytes = record(22, &hello(0x002f));
        bytes.extend(record(21, &[2, 40]));
        let f = read(&bytes);
        assert_eq!(f.end, End::Alert(AlertDescription::HANDSHAKE_FAILURE));
        assert!(f.hello.is_some(), "what came before the alert is kept");
        assert_eq!(
            read(&record(21, &[])).end,
            End::Alert(AlertDescription::CLOSE_NOTIFY)
        );
        assert_eq!(read(b"HTTP/1.1 400 Bad Request\r\n").end, End::NotTls);
        assert!(matches!(
            read(&record(22, &message(11, &[0, 0, 0]))).end,
            End::Malformed(_)
        ));
        let mut twice = hello(0x002f);
        twice.extend(hello(0x002f));
        assert!(matches!(read(&record(22, &twice)).end, End::Malformed(_)));
        let mut bad_cert = hello(0x002f);
        bad_cert.extend(message(11, &[0, 0, 4, 0, 0, 9, 1]));
        assert_eq!(
            read(&record(22, &bad_cert)).end,
            End::Malformed(Problem::Field(Error::Truncated("cert_data")))
        );
        // A TLS 1.3 ServerHello (supported_versions says 0x0304).
        let mut body = vec![3, 3];
        body.extend_from_slice(&[1; 32]);
        body.extend_from_slice(&[0, 0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 3, 4]);
        assert_eq!(read(&record(22, &message(2, &body))).end, End::Tls13);
    }

    #[test]
    fn never_panics_on_random_or_mutated_bytes() {
        let mut rng = crate::testutil::Rng(0x1f1f);
        let mut whole = hello(0xc02f);
        whole.extend(certificate(&[b"leaf"]));
        whole.extend(message(12, &[3, 0, 29, 2, 0xaa, 0xbb, 4, 1, 0, 3, 1, 2, 3]));
        whole.extend(message(14, &[]));
        let whole = record(22, &whole);
        for _ in 0..20_000 {
            let mut v = whole.clone();
            rng.mutate(&mut v);
            let _ = read(&v);
            let _ = read(&rng.bytes(64));
        }
    }
}
