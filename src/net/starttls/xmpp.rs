//! XMPP (RFC 6120 section 5): open a stream to the server's domain, find `<starttls/>` among
//! the features, ask for it, and wait for `<proceed/>`. Client-to-server (`jabber:client`) or
//! server-to-server (`jabber:server`).

use super::io::{closed, Wire};
use super::{quote, Cause, Refused};

const MAX_REPLY: usize = 64 * 1024;

pub(super) fn xmpp(wire: &mut Wire<'_>, name: &str, server: bool) -> Result<(), Refused> {
    let namespace = if server {
        "jabber:server"
    } else {
        "jabber:client"
    };
    let header = format!(
        "<?xml version='1.0'?><stream:stream to='{}' xmlns='{namespace}' \
         xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
        escape(name)
    );
    wire.send(header.as_bytes(), header.clone())?;
    let features = read_until(
        wire,
        &[
            b"</stream:features>",
            b"<stream:features/>",
            b"</stream:error>",
            b"</stream:stream>",
        ],
        true,
    )?;
    if let Some(error) = stream_error(&features) {
        return Err(
            Refused::new(format!("the server ended the stream: {error}")).because(
                if error.condition == "host-unknown" {
                    Cause::UnknownName
                } else {
                    Cause::Unexpected
                },
            ),
        );
    }
    if !contains(&features, b"<starttls") {
        return Err(Refused::new(
            "the server does not offer STARTTLS (no <starttls/> among its stream features)".into(),
        )
        .because(Cause::TlsOff));
    }
    let ask = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    wire.send(ask.as_bytes(), ask)?;
    let mut answer = read_until(wire, &[b"<proceed", b"<failure", b"</stream:error>"], false)?;
    if contains(&answer, b"<proceed") {
        // The element ends with "/>" or "></proceed>": read up to its end, no further.
        if !answer.ends_with(b"/>") && !answer.ends_with(b"</proceed>") {
            answer.extend(read_until(wire, &[b"/>", b"</proceed>"], false)?);
        }
        wire.heard_text(String::from_utf8_lossy(&answer).trim().to_string());
        Ok(())
    } else if let Some(error) = {
        wire.heard_text(String::from_utf8_lossy(&answer).trim().to_string());
        stream_error(&answer)
    } {
        Err(Refused::new(format!(
            "the server ended the stream: {error}"
        )))
    } else {
        Err(Refused::new(format!(
            "the server refused STARTTLS: {}",
            quote(&answer)
        )))
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&apos;")
        .replace('<', "&lt;")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A `<stream:error>`: its defined condition and the text the server gave.
#[derive(Debug, PartialEq, Eq)]
struct StreamError {
    condition: String,
    text: Option<String>,
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}/>", self.condition)?;
        if let Some(text) = &self.text {
            write!(f, " {}", quote(text.as_bytes()))?;
        }
        Ok(())
    }
}

/// The stream error in `xml`, if the server sent one. Not an XML parser: the element names
/// RFC 6120 section 4.9.3 defines are all it needs to find.
fn stream_error(xml: &[u8]) -> Option<StreamError> {
    let xml = String::from_utf8_lossy(xml);
    let start = xml.find("<stream:error")?;
    let inner = &xml[start..];
    let inner = &inner[inner.find('>')? + 1..];
    let condition: String = inner
        .trim_start()
        .strip_prefix('<')?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if condition.is_empty() {
        return None;
    }
    let text = inner.find("<text").and_then(|t| {
        let body = &inner[t..];
        let body = &body[body.find('>')? + 1..];
        Some(body[..body.find("</text>")?].to_string())
    });
    Some(StreamError { condition, text })
}

/// Read byte by byte until one of `ends` appears (not past it: TLS follows). Each read is
/// logged as one fragment when `log` (and always when the read fails). A server whose first
/// line is not XML is answered at once.
fn read_until(wire: &mut Wire<'_>, ends: &[&[u8]], log: bool) -> Result<Vec<u8>, Refused> {
    let mut got = Vec::new();
    let outcome = loop {
        match wire.byte() {
            Ok(Some(b)) => got.push(b),
            Ok(None) if got.is_empty() => break Err(closed()),
            Ok(None) => {
                break Err(Refused::new(format!(
                    "the server closed the stream after {}",
                    quote(&got)
                ))
                .because(Cause::Closed))
            }
            Err(e) => break Err(e),
        }
        if ends.iter().any(|e| got.ends_with(e)) {
            break Ok(());
        }
        let first = got.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|&b| b != b'<') && got.ends_with(b"\n") {
            break Err(Refused::new(format!(
                "the server's answer is not XMPP: {}",
                quote(&got)
            )));
        }
        if got.len() > MAX_REPLY {
            break Err(Refused::new(
                "the server's stream header is too long".into(),
            ));
        }
    };
    if !got.is_empty() && (log || outcome.is_err()) {
        wire.heard_text(String::from_utf8_lossy(&got).trim().to_string());
    }
    outcome.map(|()| got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_stream_error_and_its_text() {
        let xml = b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' version='1.0'><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve nosuch.example</text></stream:error></stream:stream>";
        let e = stream_error(xml).expect("a stream error");
        assert_eq!(e.condition, "host-unknown");
        assert_eq!(
            e.to_string(),
            "<host-unknown/> \"This server does not serve nosuch.example\""
        );
        assert_eq!(
            stream_error(b"<stream:error><conflict/></stream:error>"),
            Some(StreamError {
                condition: "conflict".into(),
                text: None
            })
        );
        assert_eq!(stream_error(b"<stream:features/>"), None);
        assert_eq!(stream_error(b"<stream:error"), None);
    }

    #[test]
    fn names_are_escaped_in_the_stream_header() {
        assert_eq!(escape("a'b<c&"), "a&apos;b&lt;c&amp;");
    }
}
