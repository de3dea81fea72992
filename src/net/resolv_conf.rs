//! Who answers DNS questions here, for hints: the `nameserver` lines of `/etc/resolv.conf`
//! (what getaddrinfo asks after `/etc/hosts`), or "the system resolver" when it names none.

/// The resolver file read for [`resolvers`].
pub const PATH: &str = "/etc/resolv.conf";

/// At most this many servers named (resolv.conf uses no more than three).
const SHOWN: usize = 3;

/// "the DNS server 127.0.0.53 (from /etc/resolv.conf)", or "the system resolver".
pub fn resolvers() -> String {
    let text = std::fs::read_to_string(PATH).unwrap_or_default();
    describe(&nameservers(&text))
}

/// The addresses of the `nameserver` lines, in order, comments skipped.
pub fn nameservers(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.split(['#', ';']).next().unwrap_or("");
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver"))
                .then(|| words.next())
                .flatten()
                .map(|s| crate::printable::printable(s).into_owned())
        })
        .take(SHOWN)
        .collect()
}

fn describe(servers: &[String]) -> String {
    match servers {
        [] => "the system resolver".into(),
        [one] => format!("the DNS server {one} (from {PATH})"),
        many => format!("the DNS servers {} (from {PATH})", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_servers_of_resolv_conf() {
        let text = "# generated\nsearch example\nnameserver 10.0.0.1 # office\n;nameserver 9.9.9.9\nnameserver ::1\n";
        assert_eq!(nameservers(text), ["10.0.0.1", "::1"]);
        assert_eq!(
            describe(&nameservers(text)),
            "the DNS servers 10.0.0.1, ::1 (from /etc/resolv.conf)"
        );
        assert_eq!(describe(&[]), "the system resolver");
    }
}
