//! Names that getaddrinfo answers from `/etc/hosts` without asking a DNS server: when the
//! name service switch looks in the file first and the file lists the name, the lookup reads
//! two local files and returns. Such a lookup needs no timeout, so it runs on the probe's own
//! thread ([`super::resolve`]) instead of a resolver thread.

use std::sync::OnceLock;

const NSSWITCH: &str = "/etc/nsswitch.conf";
const HOSTS: &str = "/etc/hosts";

/// Whether getaddrinfo answers `host` from `/etc/hosts` (so without waiting on the network).
/// False whenever it cannot tell.
pub fn answers(host: &str) -> bool {
    files_first() && hosts().is_some_and(|text| lists(text, host))
}

/// `/etc/hosts`, read once per run (not once per probe), within the local-file budget
/// ([`crate::local_file::read`]). A name removed from it during a run is still taken for a
/// local one, as glibc's own cache of the file may.
fn hosts() -> Option<&'static str> {
    static TEXT: OnceLock<Option<String>> = OnceLock::new();
    TEXT.get_or_init(|| read(HOSTS)).as_deref()
}

/// A system file as text, within the local-file budget; none when it cannot be read.
fn read(path: &str) -> Option<String> {
    crate::local_file::read(std::path::Path::new(path), std::time::Duration::ZERO)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether the `hosts:` line of `/etc/nsswitch.conf` names `files` first. Read once: a switch
/// changed during a run would not be seen by glibc either (it re-reads only on a change it
/// notices, and this answer only makes a lookup move between threads).
fn files_first() -> bool {
    static FIRST: OnceLock<bool> = OnceLock::new();
    *FIRST.get_or_init(|| {
        read(NSSWITCH).is_some_and(|text| hosts_source_first(&text) == Some("files"))
    })
}

/// The first source of the `hosts:` database. Without the file glibc asks DNS first.
fn hosts_source_first(nsswitch: &str) -> Option<&str> {
    nsswitch.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or("");
        let rest = line.trim_start().strip_prefix("hosts:")?;
        rest.split_whitespace().next()
    })
}

/// Whether a line of `hosts` gives `name` (as its canonical name or an alias, any case) an
/// address.
fn lists(hosts: &str, name: &str) -> bool {
    hosts.lines().any(|line| {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        words
            .next()
            .is_some_and(|addr| addr.parse::<std::net::IpAddr>().is_ok())
            && words.any(|w| w.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_hosts_source() {
        assert_eq!(
            hosts_source_first("passwd: files\nhosts:   files dns\n"),
            Some("files")
        );
        assert_eq!(
            hosts_source_first("# hosts: files\nhosts: dns files\n"),
            Some("dns")
        );
        assert_eq!(hosts_source_first("passwd: files\n"), None);
    }

    #[test]
    fn names_listed() {
        let hosts = "127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback # comment\n# 10.0.0.1 gone\nbad entry\n";
        assert!(lists(hosts, "localhost"));
        assert!(lists(hosts, "LOCALHOST"));
        assert!(lists(hosts, "ip6-loopback"));
        assert!(!lists(hosts, "gone"));
        assert!(!lists(hosts, "entry"));
        assert!(!lists(hosts, "example.com"));
    }
}
