//! `--proxy [http://|socks5://|socks5h://][user:password@]host:port` and `--proxy-user
//! user:password`: where the proxy is, how to speak to it and how to log in to it. No error, no `Debug` and no report ever shows a
//! password: the credentials are written only into the CONNECT request (or SOCKS5's authentication).

use std::fmt;

/// A proxy: HTTP (tunnels with CONNECT) or SOCKS5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    pub credentials: Option<Credentials>,
}

/// How to talk to the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// HTTP CONNECT (`http://`, or no scheme).
    Http,
    /// SOCKS5, the target resolved here and sent as an address (`socks5://`).
    Socks5,
    /// SOCKS5, the target's name sent for the proxy to resolve (`socks5h://`).
    Socks5h,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Socks5 => "socks5",
            Scheme::Socks5h => "socks5h",
        }
    }
}

/// A user name and password for the proxy's Basic authentication. `Debug` shows the user only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({:?}, password withheld)", self.user)
    }
}

impl Credentials {
    /// `user:password` as `--proxy-user` takes it (and curl's `-U`): split at the first
    /// colon, so a password may hold colons; no colon, an empty password.
    pub fn parse(s: &str) -> Credentials {
        let (user, password) = s.split_once(':').unwrap_or((s, ""));
        Credentials {
            user: user.to_string(),
            password: password.to_string(),
        }
    }

    /// The password, for the one request that carries it.
    pub(super) fn password(&self) -> &str {
        &self.password
    }

    /// The `Proxy-Authorization` value (RFC 7617).
    pub fn basic(&self) -> String {
        let token =
            data_encoding::BASE64.encode(format!("{}:{}", self.user, self.password).as_bytes());
        format!("Basic {token}")
    }
}

/// Why `--proxy` was refused: one line, which never holds the credentials given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid --proxy '{shown}': {reason}")]
pub struct ProxyError {
    /// What was given, its credentials replaced by `***`.
    pub shown: String,
    pub reason: String,
}

impl Proxy {
    /// `host:port`, `user:password@host:port`, or a URL: `http://[user:password@]host:port[/]`,
    /// `socks5://...` or `socks5h://...` (the user and password %-encoded, as in any URL; a
    /// SOCKS proxy's port 1080 by default). Other schemes (`https://`, `socks4://`) are refused.
    pub fn parse(s: &str) -> Result<Proxy, ProxyError> {
        let (scheme, rest) = match s.split_once("://") {
            Some((scheme, rest)) => (Some(scheme), rest),
            None => (None, s),
        };
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, rest),
        };
        let fail = |reason: String| ProxyError {
            shown: format!(
                "{}{}{hostport}",
                scheme.map_or(String::new(), |s| format!("{s}://")),
                if userinfo.is_some() { "***@" } else { "" }
            ),
            reason,
        };
        let kind = match scheme.map(str::to_ascii_lowercase).as_deref() {
            None | Some("http") => Scheme::Http,
            Some("socks5") => Scheme::Socks5,
            Some("socks5h") => Scheme::Socks5h,
            Some("https") => {
                return Err(fail(
                    "https:// proxies (TLS to the proxy itself) are not supported; give an http:// proxy".into(),
                ))
            }
            Some(other @ ("socks4" | "socks4a")) => {
                return Err(fail(format!(
                    "{other}:// proxies are not supported; give an http://, socks5:// or socks5h:// proxy"
                )))
            }
            Some(other) => {
                return Err(fail(format!(
                    "unknown proxy scheme '{other}://'; give an http://, socks5:// or socks5h:// proxy"
                )))
            }
        };
        let hostport = hostport.strip_suffix('/').unwrap_or(hostport);
        if hostport.contains(['/', '?', '#']) {
            return Err(fail("give only the proxy's host and port, no path".into()));
        }
        let credentials = match userinfo {
            // In a URL the user and password are %-encoded (RFC 3986); as `user:pw@host:port`
            // they are taken as given, as before.
            Some(info) if scheme.is_some() => {
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                let decode = |part: &str| {
                    percent_decode(part)
                        .ok_or_else(|| fail("a bad %-escape in the user or password".into()))
                };
                Some(Credentials {
                    user: decode(user)?,
                    password: decode(password)?,
                })
            }
            Some(info) => Some(Credentials::parse(info)),
            None => None,
        };
        // A SOCKS proxy's port is 1080 unless given (curl's default); an HTTP proxy's must be.
        let default_port = if kind == Scheme::Http { 0 } else { 1080 };
        let target =
            crate::target::Target::parse(hostport, default_port).map_err(|e| fail(e.reason))?;
        if target.port == 0 {
            return Err(fail("give the proxy's port: host:port".into()));
        }
        Ok(Proxy {
            scheme: kind,
            host: target.host.to_string(),
            port: target.port,
            credentials,
        })
    }
}

impl Proxy {
    /// Whether the proxy is given the target's address rather than its name: `socks5://`,
    /// where the name is resolved by the client (as curl does), so that `-4`/`-6` choose the
    /// address.
    pub fn resolves_here(&self) -> bool {
        self.scheme == Scheme::Socks5
    }

    /// `host:port`, an IPv6 host in brackets.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// `scheme://host:port`: never the credentials.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme.as_str(), self.address())
    }
}

/// `%HH` escapes decoded; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b != b'%' {
            out.push(b);
            continue;
        }
        let hex = [bytes.next()?, bytes.next()?];
        let hex = std::str::from_utf8(&hex).ok()?;
        out.push(u8::from_str_radix(hex, 16).ok()?);
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(user: &str, password: &str) -> Option<Credentials> {
        Some(Credentials {
            user: user.into(),
            password: password.into(),
        })
    }

    #[test]
    fn parses_proxy_forms() {
        assert_eq!(
            Proxy::parse("http://u:p@proxy.example:3128/").unwrap(),
            Proxy {
                scheme: Scheme::Http,
                host: "proxy.example".into(),
                port: 3128,
                credentials: creds("u", "p"),
            }
        );
        assert_eq!(Proxy::parse("127.0.0.1:8080").unwrap().port, 8080);
        assert_eq!(
            Proxy::parse("HTTP://[::1]:8080").unwrap().host,
            "::1".to_string()
        );
        assert_eq!(
            Proxy::parse("u:p:with:colons@h:1").unwrap().credentials,
            creds("u", "p:with:colons")
        );
        assert_eq!(
            Proxy::parse("http://a%40b:p%3A%40w@h:1")
                .unwrap()
                .credentials,
            creds("a@b", "p:@w")
        );
        let s = Proxy::parse("socks5h://u:p@[::1]:1081").unwrap();
        assert_eq!(s.scheme, Scheme::Socks5h);
        assert_eq!(s.credentials, creds("u", "p"));
        assert_eq!(s.url(), "socks5h://[::1]:1081");
        let s = Proxy::parse("SOCKS5://127.0.0.1").unwrap();
        assert_eq!((s.scheme, s.port), (Scheme::Socks5, 1080));
        assert_eq!(s.url(), "socks5://127.0.0.1:1080");
        assert_eq!(
            Proxy::parse("proxy.example:3128").unwrap().url(),
            "http://proxy.example:3128"
        );
        assert!(Proxy::parse("proxy.example").is_err());
        assert!(Proxy::parse("proxy.example:x").is_err());
        assert!(Proxy::parse("http://h:1/path").is_err());
        assert!(Proxy::parse("http://u:p%zz@h:1").is_err());
    }

    #[test]
    fn other_schemes_are_refused_not_taken_for_a_user() {
        for url in [
            "https://user:PW@host:8080",
            "socks4://host:1080",
            "socks4a://user:PW@host:1080",
            "ftp://host:21",
        ] {
            let e = Proxy::parse(url).unwrap_err();
            assert!(e.reason.contains("http://"), "{url}: {e}");
            assert!(!e.to_string().contains("PW"), "{e}");
        }
    }

    #[test]
    fn no_error_and_no_debug_shows_the_password() {
        for given in [
            "user:s3cr3tPW@127.0.0.1",
            "http://user:s3cr3tPW@127.0.0.1",
            "http://user:s3cr3tPW@127.0.0.1:x",
            "https://user:s3cr3tPW@127.0.0.1:8080",
            "user:s3cr3tPW@",
        ] {
            let e = Proxy::parse(given).unwrap_err().to_string();
            assert!(!e.contains("s3cr3tPW"), "{e}");
            assert!(!e.contains("user"), "{e}");
        }
        let p = Proxy::parse("user:s3cr3tPW@127.0.0.1:3128").unwrap();
        assert!(!format!("{p:?}").contains("s3cr3tPW"));
        assert_eq!(p.credentials.unwrap().basic(), "Basic dXNlcjpzM2NyM3RQVw==");
    }
}
