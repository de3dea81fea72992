//! The TLS session over a reached connection: handshake, the chain judged, the optional
//! exchange, the polite close, and the transcript, into a [`Session`] the report is made of.

use std::sync::PoisonError;
use std::time::{Instant, SystemTime};

use rustls::pki_types::ServerName;
use rustls::ClientConnection;

use super::first_flight::{self, Flight};
use super::route::Reached;
use super::{exchange, ms, sct_ask, ProbeSettings};
use crate::capture;
use crate::deadline::Deadline;
use crate::decrypt::{Secrets, Tls12Decryptor, Tls13Decryptor};
use crate::diagnose::{self, legacy::Offered, Seen};
use crate::event_loop::Offload;
use crate::net::Dialer;
use crate::record::Recorder;
use crate::report::{
    Application, Certificate, ClientCertificateRequest, ErrorKind, Message, OcspStaple, Phase,
    ProbeError, Protocol, ProtocolVersion, Reconnect, Verification,
};
use crate::scan;
use crate::scan::accepted::Accepted;
use crate::target::Target;
use crate::tls::{self, Captured, DriveError, ProbeConfig};
use crate::transcript::{self, Decrypt, Transcript};
use crate::verify::{self, ChainInput};
use crate::wire::code_points::CipherSuite;
use crate::wire::names;

/// Write the probe's connections to the capture (`--pcap`), with their secrets.
#[inline(never)]
fn write_capture(
    settings: &ProbeSettings,
    target: &Target,
    sni: Option<&str>,
    capture: Option<(Vec<capture::Conversation>, Vec<u8>)>,
) {
    let (Some(sink), Some((conversations, key_log))) = (&settings.pcap, capture) else {
        return;
    };
    let at = conversations
        .first()
        .map_or_else(String::new, |c| format!(" at {}", c.server));
    let comment = format!(
        "tlsprobe {}: {target}{at}, server name {}",
        env!("CARGO_PKG_VERSION"),
        sni.unwrap_or("(none sent)")
    );
    sink.write(
        &target.to_string(),
        &capture::section(&comment, &key_log, &conversations),
    );
}

/// What the session learnt, each part made once; `error` says how it ended early.
#[derive(Default)]
pub(super) struct Session {
    pub handshake_ms: Option<f64>,
    pub protocol: Option<Protocol>,
    pub certificates: Vec<Certificate>,
    pub verification: Option<Verification>,
    pub application: Option<Application>,
    pub reconnect: Option<Reconnect>,
    pub handshake: Vec<Message>,
    /// `handshake` stops short of all the server sent (the recording's budget).
    pub handshake_truncated: bool,
    pub error: Option<ProbeError>,
}

impl Session {
    /// A session that never started.
    pub fn failed(error: ProbeError) -> Session {
        Session {
            error: Some(error),
            ..Session::default()
        }
    }
}

/// The TLS session over `reached`: everything from the ClientHello to the close. `sni` is
/// the name sent, if any.
///
/// The steps after the handshake are `#[inline(never)]`: inlined, their locals widen this
/// function's frame, and every probe thread's stack keeps that much more resident for the
/// whole handshake (10 KiB a thread, so 10 MiB at `--concurrency 1000`).
#[allow(clippy::too_many_arguments)]
pub(super) async fn run<'s>(
    reached: Reached,
    target: &Target,
    settings: &'s ProbeSettings,
    name: &ServerName<'static>,
    sni: Option<&str>,
    deadline: Deadline,
    offload: Offload<'_, 's>,
) -> Session {
    let local = |message: String| ProbeError {
        phase: Phase::Handshake,
        kind: ErrorKind::Other,
        message,
        alert: None,
        hint: None,
    };
    let config = tls::client_config(
        &settings.provider,
        &settings.offer,
        settings.keylog.clone(),
        settings.client_cert.as_deref(),
        settings.reconnect,
    )
    .map_err(|e| local(e.to_string()));
    let ProbeConfig {
        config,
        captured,
        secrets,
    } = match config {
        Ok(c) => c,
        Err(e) => return Session::failed(e),
    };
    let mut conn = match ClientConnection::new(config.clone(), name.clone()) {
        Ok(c) => c,
        Err(e) => return Session::failed(local(format!("cannot start the handshake: {e}"))),
    };

    let dialer = reached.dialer;
    // Every wait on the connection is an `.await` on its readiness (tls::drive_handshake).
    if let Err(e) = reached.stream.set_nonblocking(true) {
        return Session::failed(local(format!("cannot start the handshake: {e}")));
    }
    // For a capture: the connection's ends as the kernel has them (the proxy's, through one).
    let ends = (reached.stream.local_addr(), reached.stream.peer_addr());
    let mut io = Recorder::new(reached.stream);
    let t = Instant::now();
    let mut outcome = tls::drive_handshake(&mut conn, &mut io, deadline).await;
    let handshake_ms = Some(ms(t.elapsed()));
    let captured = std::mem::take(&mut *captured.lock().unwrap_or_else(PoisonError::into_inner));
    // A server that requires a certificate may say so only once the handshake is done (in
    // TLS 1.3, after our Finished): hear it out before anything is sent, or the probe is
    // called a success. (Postfix says so only in answer to the next command: hello_again.)
    let unanswered_request =
        captured.client_certificate_requested && settings.client_cert.is_none();
    if outcome.is_ok() && unanswered_request {
        outcome = tls::await_verdict(&mut conn, &mut io, deadline).await;
    }

    // Judge the chain before anything is sent over the connection.
    let mut chain = judge_chain(&captured, name, sni.is_some(), settings);

    let trusted = chain.verification.as_ref().is_some_and(|v| v.verified);
    if outcome.is_ok() && unanswered_request && (trusted || settings.insecure) {
        if let Some((protocol, name)) = &dialer.starttls {
            outcome = super::hello_again::run(&mut conn, &mut io, *protocol, name, deadline).await;
        }
    }
    let mut application = None;
    if outcome.is_ok() {
        if let Some(exchange) = &settings.exchange {
            application = Some(
                exchange::run(
                    &mut conn,
                    &mut io,
                    exchange,
                    trusted || settings.insecure,
                    target,
                    deadline,
                )
                .await,
            );
        }
        outcome = tls::finish(&mut conn, &mut io, deadline).await;
    }
    let (_, recording) = io.into_parts();
    let main_secrets = secrets.take();
    // For `--pcap`: this connection, and the reconnect's when there is one.
    let mut capture = None;
    if let (Some(_), (Ok(client), Ok(server))) = (&settings.pcap, ends) {
        let wire = capture::Wire {
            client,
            server,
            opened: reached.opened,
            preamble: &reached.preamble,
            recording: &recording,
        };
        let conversation = capture::conversation(&wire, SystemTime::now());
        capture = Some((vec![conversation], capture::key_log(&main_secrets)));
    }
    let mut decryptor = decryptor(&conn, &main_secrets, &recording.server);
    let transcript = transcript::build(
        &recording,
        decryptor.as_mut().map(|d| &mut **d as &mut dyn Decrypt),
        settings.keep_records,
    );
    let protocol = protocol(&conn, &captured, chain.staple, &transcript);

    let (error, flight) = match outcome.err() {
        Some(e) => {
            let seen = seen(&transcript, sni, target, settings);
            let (error, flight) = if diagnose::worth_asking(&e, &seen) {
                // The diagnosis opens connections of its own and waits on them: on an event
                // loop, that is done on a thread of its own.
                let dialer = dialer.clone();
                let sni = sni.map(str::to_string);
                offload
                    .run(move || {
                        let read_flight =
                            || first_flight::read(&dialer, settings, sni.as_deref(), deadline);
                        explain_failure(&e, seen, &dialer, read_flight, deadline)
                    })
                    .await
            } else {
                (diagnose::explain(&e, &seen), None)
            };
            (Some(error), flight)
        }
        None => (None, None),
    };
    if let Some(flight) = flight {
        write_capture(settings, target, sni, capture);
        // The chain, verdict and timeline are the first flight's.
        let chain = judge_chain(&flight.captured, name, sni.is_some(), settings);
        return Session {
            handshake_ms,
            protocol: Some(flight_protocol(&flight, chain.staple)),
            certificates: chain.certificates,
            verification: chain.verification,
            handshake: flight.transcript.messages,
            error,
            ..Session::default()
        };
    }
    // SCTs the server sends only when asked (the TLS extension), when they matter.
    let leaf = captured.chain.first().map(|d| d.as_ref());
    let matter = settings.ct_logs.is_some()
        || leaf
            .is_some_and(|l| crate::ct::short(&chain.certificates, l, chain.verification.as_ref()));
    if let (None, Some(leaf), true) = (&error, leaf, matter) {
        let sni = sni.map(str::to_string);
        let dialer = dialer.clone();
        let list = offload
            .run(move || sct_ask::read(&dialer, settings, sni.as_deref(), deadline))
            .await;
        if let Some(list) = list {
            crate::ct::apply(
                &mut chain.certificates,
                Some(leaf),
                crate::ct::Delivered {
                    ocsp: &[],
                    tls_extension: &list,
                },
                chain.verification.as_mut(),
                settings.ct_logs.as_deref(),
            );
        }
    }
    let mut reconnect = None;
    if error.is_none() && settings.reconnect {
        let again = super::reconnect::Again {
            dialer: &dialer,
            config: &config,
            secrets: &secrets,
            name,
            keep_records: settings.keep_records,
            capture: capture.is_some(),
        };
        let (again, captured) = super::reconnect::run(again, &transcript, deadline).await;
        if let (Some((conversations, key_log)), Some((conversation, more))) =
            (&mut capture, captured)
        {
            conversations.push(conversation);
            key_log.extend(more);
        }
        reconnect = Some(again);
    }
    write_capture(settings, target, sni, capture);
    Session {
        handshake_ms,
        protocol,
        certificates: chain.certificates,
        verification: chain.verification,
        application,
        reconnect,
        handshake_truncated: transcript.cut,
        handshake: transcript.messages,
        error,
    }
}

/// The served certificates described, the leaf's OCSP staple, and the chain's verdict.
pub(super) struct JudgedChain {
    pub certificates: Vec<Certificate>,
    pub staple: Option<OcspStaple>,
    pub verification: Option<Verification>,
}

/// Describe the served certificates, read the OCSP staple, and verify the chain.
#[inline(never)]
pub(super) fn judge_chain(
    captured: &Captured,
    name: &ServerName<'static>,
    sni_sent: bool,
    settings: &ProbeSettings,
) -> JudgedChain {
    let now = SystemTime::now();
    let (mut certificates, facts): (Vec<_>, Vec<_>) = captured
        .chain
        .iter()
        .map(|der| crate::cert::examine(der, now))
        .unzip();
    // The status of the leaf's own SingleResponse (a staple may carry several).
    let staple = captured
        .chain
        .first()
        .and_then(|leaf| verify::ocsp::parse_for(&captured.ocsp, leaf, None));
    let mut verification = (!captured.chain.is_empty()).then(|| {
        let identity = verify::Identity::Server(name.clone());
        verify::verify_chain(
            &ChainInput {
                chain: &captured.chain,
                described: &certificates,
                facts: &facts,
                identity: &identity,
                sni_sent,
                purpose: verify::Purpose::Server,
                from_server: true,
                signature: captured.signature.as_ref(),
                ocsp: staple.as_ref(),
                ocsp_der: &captured.ocsp,
                crls: &settings.crls,
                warn_days: i64::from(settings.warn_days),
                now,
            },
            &settings.roots,
            &settings.signature_algorithms,
        )
    });
    crate::ct::apply(
        &mut certificates,
        captured.chain.first().map(|d| d.as_ref()),
        crate::ct::Delivered {
            ocsp: staple.as_ref().map_or(&[][..], |s| &s.sct_list),
            tls_extension: &[],
        },
        verification.as_mut(),
        settings.ct_logs.as_deref(),
    );
    let staple = staple.map(|s| OcspStaple {
        status: s.status,
        this_update: s.this_update_rfc3339(),
        next_update: s.next_update_rfc3339(),
        responder: s.responder.clone(),
    });
    JudgedChain {
        certificates,
        staple,
        verification,
    }
}

/// Whether the server asked for a client certificate, which CAs it named, and whether we sent
/// one.
fn client_certificate(transcript: &Transcript) -> Option<ClientCertificateRequest> {
    Some(ClientCertificateRequest {
        certificate_authorities: transcript.certificate_request()?.to_vec(),
        sent: transcript.sent_client_certificate(),
    })
}

/// How many suites per version the diagnosis of a refused ClientHello asks about.
const DIAGNOSIS_ROUNDS: usize = 4;

/// Name a failure the server is worth asking about ([`diagnose::worth_asking`]): it refused
/// our ClientHello outright, so ask it which versions and suites it does accept, with raw
/// ClientHellos over connections reached as the first was (directly, through the proxy, after
/// the STARTTLS preamble; within the same deadline). When it speaks only what rustls cannot,
/// its first flight is read, and returned with the explanation.
#[inline(never)]
fn explain_failure(
    err: &DriveError,
    seen: Seen,
    dialer: &Dialer,
    read_flight: impl FnOnce() -> Option<Flight>,
    deadline: Deadline,
) -> (ProbeError, Option<Flight>) {
    let beyond = |a: &Accepted| diagnose::legacy::beyond_rustls(a, &seen.offered);
    let accepted =
        scan::accepted::enumerate(dialer, seen.sni.as_deref(), DIAGNOSIS_ROUNDS, deadline);
    let flight = if beyond(&accepted) {
        read_flight()
    } else {
        None
    };
    let answers_preamble = (accepted.versions.is_empty() && diagnose::hung_up(err, &seen))
        .then(|| dialer.sniff_preamble(deadline))
        .flatten();
    let seen = Seen {
        accepted: Some(accepted),
        answers_preamble,
        ..seen
    };
    let error = diagnose::explain(err, &seen);
    match flight {
        Some(flight) => (
            diagnose::first_flight::explain(error, &flight.facts()),
            Some(flight),
        ),
        None => (error, None),
    }
}

/// What the report says of a handshake rustls could not complete, from the server's first
/// flight and the leaf's staple.
#[inline(never)]
fn flight_protocol(flight: &Flight, ocsp_staple: Option<OcspStaple>) -> Protocol {
    let kx = flight.transcript.server_key_exchange();
    Protocol {
        version: flight.hello.version,
        cipher_suite: flight.hello.cipher_suite.to_string(),
        key_exchange_group: kx.and_then(|k| k.group.clone()),
        dh_bits: kx.and_then(|k| k.dh_bits),
        signature_scheme: kx.and_then(|k| k.signature_scheme).map(|s| s.to_string()),
        alpn: flight.hello.alpn.clone(),
        resumed: false,
        ocsp_staple,
        client_certificate: client_certificate(&flight.transcript),
        first_flight_only: true,
    }
}

/// Keys to open the recorded records, once the server has chosen a version and a suite: TLS
/// 1.3 from the traffic secrets, TLS 1.2 from the master secret and the randoms (the server's
/// read from its ServerHello in `server_bytes`).
#[inline(never)]
pub(super) fn decryptor(
    conn: &ClientConnection,
    secrets: &Secrets,
    server_bytes: &[u8],
) -> Option<Box<dyn Decrypt>> {
    let suite = CipherSuite(u16::from(conn.negotiated_cipher_suite()?.suite()));
    match conn.protocol_version()? {
        rustls::ProtocolVersion::TLSv1_3 => Some(Box::new(Tls13Decryptor::new(suite, secrets)?)),
        rustls::ProtocolVersion::TLSv1_2 => {
            let (_, server_random) = crate::wire::first_flight::read(server_bytes).hello?;
            Some(Box::new(Tls12Decryptor::new(
                suite,
                secrets,
                &server_random,
            )?))
        }
        _ => None,
    }
}

/// What the negotiated parameters were, once the server's choice was accepted: from the
/// connection, the captured signature, the leaf's staple and the transcript.
#[inline(never)]
fn protocol(
    conn: &ClientConnection,
    captured: &Captured,
    ocsp_staple: Option<OcspStaple>,
    transcript: &Transcript,
) -> Option<Protocol> {
    let version = conn.protocol_version()?;
    let suite = conn.negotiated_cipher_suite()?;
    Some(Protocol {
        version: ProtocolVersion(u16::from(version)),
        cipher_suite: names::cipher_suite_name(u16::from(suite.suite())).into_owned(),
        key_exchange_group: conn
            .negotiated_key_exchange_group()
            .map(|g| names::group_name(u16::from(g.name())).into_owned()),
        dh_bits: None,
        signature_scheme: captured
            .signature
            .as_ref()
            .and_then(|s| s.scheme)
            .map(|s| names::signature_scheme_name(u16::from(s)).into_owned()),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        resumed: matches!(conn.handshake_kind(), Some(rustls::HandshakeKind::Resumed)),
        ocsp_staple,
        client_certificate: client_certificate(transcript),
        first_flight_only: false,
    })
}

/// What the diagnosis of a failed handshake needs to know, read from the transcript.
#[inline(never)]
fn seen(
    transcript: &Transcript,
    sni: Option<&str>,
    target: &Target,
    settings: &ProbeSettings,
) -> Seen {
    let versions: Vec<u16> = settings
        .offer
        .versions
        .iter()
        .map(|v| u16::from(v.version))
        .collect();
    let suites = settings
        .provider
        .cipher_suites
        .iter()
        .filter(|s| versions.contains(&u16::from(s.version().version)))
        .map(|s| u16::from(s.suite()))
        .collect();
    Seen {
        last_server_message: transcript
            .last_server_handshake_message()
            .map(|m| m.kind.to_string()),
        server_hello: transcript.server_hello().is_some(),
        server_bytes: transcript.server_bytes,
        not_tls: transcript.server_non_tls().map(<[u8]>::to_vec),
        certificate_request: transcript.certificate_request().map(<[String]>::to_vec),
        sent_client_certificate: transcript.sent_client_certificate(),
        sni: sni.map(str::to_string),
        server_kx_signature_scheme: transcript.server_kx_signature_scheme(),
        accepted: None,
        offered: Offered { versions, suites },
        port: settings
            .connect_to
            .as_ref()
            .and_then(|c| c.port)
            .unwrap_or(target.port),
        starttls: settings.starttls,
        answers_preamble: None,
        server_alpn: transcript.server_alpn().map(str::to_string),
        offered_alpn: settings
            .offer
            .alpn
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    }
}
