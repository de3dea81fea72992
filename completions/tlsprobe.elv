
use builtin;
use str;

set edit:completion:arg-completer[tlsprobe] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tlsprobe'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tlsprobe'= {
            cand --targets-file 'Read targets from FILE, one per line (`#` starts a comment); `-` is standard input'
            cand --shard 'Probe only share K of N of the targets (1 <= K <= N), chosen by a hash of each target, so that N runs (machines, batch jobs) together probe each target exactly once'
            cand --concurrency 'How many targets to probe at once; reports still come in input order'
            cand --starttls 'Speak this protocol''s plaintext preamble first (default port: the protocol''s)'
            cand --starttls-name 'The name the preamble gives: the EHLO/LHLO name, the XMPP `to` (default: the server name)'
            cand --connect-to 'Connect to ADDR[:PORT] instead, but send SNI and verify for TARGET'
            cand --proxy 'Tunnel through a proxy: host:port or http://host:port (HTTP CONNECT), socks5://host:port (the target resolved here) or socks5h://host:port (resolved by the proxy). Credentials in the URL work, but --proxy-user keeps them out of the process list. Without it, https_proxy, HTTPS_PROXY, all_proxy or ALL_PROXY (as curl); '''' for none'
            cand --proxy-user 'The proxy''s user and password (HTTP Basic or SOCKS5 user/password); TLSPROBE_PROXY_USER is read when neither this nor the --proxy URL gives them. Never printed'
            cand --noproxy 'Hosts to reach directly, not through the proxy: comma-separated names (each with its subdomains), IP addresses, CIDR ranges, or * for all; instead of no_proxy/NO_PROXY'
            cand --format 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki'
            cand --color 'When to colour text output (NO_COLOR is honoured under auto)'
            cand --sni 'Server name to send (SNI) and to verify the certificate for [default: the target host; none for an IP]'
            cand --ca-file 'Trust the roots in this PEM file instead of the built-in Mozilla roots'
            cand --crl-file 'Check the chain against these certificate revocation lists (PEM or DER); repeatable'
            cand --cert 'Client certificate chain to present when the server asks (PEM, leaf first)'
            cand --key 'Private key of --cert (PEM: PKCS#8, PKCS#1 or SEC1)'
            cand --min-days 'Fail (exit 1, status checks_failed) when the leaf or an intermediate expires in fewer than N days: the check for CI'
            cand --warn-days 'Warn (expires_soon) when a certificate expires in fewer than N days'
            cand --alpn 'Offer these ALPN protocols, comma separated (e.g. h2,http/1.1)'
            cand --cipher-suites 'Offer only these cipher suites (IANA names, comma separated)'
            cand --groups 'Offer only these key-exchange groups, in this order (e.g. X25519MLKEM768,X25519,secp256r1)'
            cand --send 'After the handshake, send DATA (escapes: \r \n \t \\ \xHH) and show the answer'
            cand --policy 'Fail (exit 1, status checks_failed) unless the server follows this policy: mozilla-modern, mozilla-intermediate or mozilla-old (Mozilla''s Server Side TLS 5.7), or a policy FILE of your own (JSON, see the README). Each rule is a check; implies --scan'
            cand --timeout 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver'
            cand --pin 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl''s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1'
            cand --ct-log-list 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome''s log_list.json, Apple''s): the log''s name and operator, and whether its signature holds'
            cand --keylog 'Append the TLS secrets to FILE in NSS key log format, for Wireshark (created mode 0600; an existing FILE must be a regular file of ours that no one else may read); SSLKEYLOGFILE is honoured too'
            cand --pcap 'Write each probe''s connection to FILE as pcapng, with the TLS secrets inside: Wireshark opens it decrypted with no key log (created mode 0600; one section per target). PATH/ or a directory: one file per target, named host_port.pcapng'
            cand -4 'Connect over IPv4 only (curl''s -4)'
            cand --ipv4 'Connect over IPv4 only (curl''s -4)'
            cand -6 'Connect over IPv6 only (curl''s -6)'
            cand --ipv6 'Connect over IPv6 only (curl''s -6)'
            cand --all-addresses 'Probe every address the name resolves to (after -4/-6), one report each, in the order resolved: a backend behind the name that serves another certificate shows. A target reached through a proxy is probed once'
            cand --json 'Print one JSON object per target (or file), one per line (JSON Lines): --format json'
            cand --ladder 'Text mode: draw the handshake as a ladder between a client and a server column, an arrow a message (═ encrypted on the wire, ─ in the clear)'
            cand --no-sni 'Send no server name (the certificate is still verified for the target host)'
            cand --system-roots 'Trust the operating system''s root store instead of the built-in Mozilla roots'
            cand --pem 'Also print the served chain as PEM (text mode; the JSON has it in certificates[].pem)'
            cand --tls1.2 'Offer only TLS 1.2'
            cand --tls1.3 'Offer only TLS 1.3'
            cand --http 'After the handshake, send an HTTP GET and show the status line and security headers'
            cand --insecure 'Send --send / --http data even when the chain failed verification'
            cand --reconnect 'Connect a second time and report whether the session was resumed, and what it cost'
            cand --scan 'Also find out what the server accepts: protocol versions from SSL 3.0 to TLS 1.3, the cipher suites of each in the server''s order, key-exchange groups, and findings'
            cand --keylog-unsafe 'Write secrets (the key log, a --pcap capture) even to a file other users can read, one that is not ours, a symlink, a FIFO or a device'
            cand -v 'Text mode: each message with its key fields and the full chain (several targets: the full report for each); -vv adds every field of every message and a hex dump of each record'
            cand --trace 'Text mode: each message with its key fields and the full chain (several targets: the full report for each); -vv adds every field of every message and a hex dump of each record'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand cert 'Inspect local certificate files (PEM or DER) through the same view as a probe, like `openssl x509 -text`'
            cand verify 'Verify certificate chain files offline with the probe''s verifier, like `openssl verify`: the first certificate of the first CHAIN file is the leaf, the rest are as a server would send them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsprobe;cert'= {
            cand --format 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki'
            cand --color 'When to colour text output (NO_COLOR is honoured under auto)'
            cand --timeout 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver'
            cand --pin 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl''s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1'
            cand --ct-log-list 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome''s log_list.json, Apple''s): the log''s name and operator, and whether its signature holds'
            cand -v 'More detail: each extension''s OID, the SCT log IDs, policy statements, the PEM'
            cand --verbose 'More detail: each extension''s OID, the SCT log IDs, policy statements, the PEM'
            cand --json 'Print one JSON object per target (or file), one per line (JSON Lines): --format json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tlsprobe;verify'= {
            cand --ca-file 'Trust the roots in this PEM file instead of the built-in Mozilla roots'
            cand --untrusted 'More certificates that may be used to build the path (PEM), as if the server sent them'
            cand --host 'The name the leaf must be valid for: a DNS name, an IP address, or (with --purpose client) an email address; without it the name is not checked'
            cand --at 'Validate at this moment instead of now (RFC 3339, e.g. 2026-01-31T12:00:00Z)'
            cand --purpose 'What the leaf must be allowed to do: identify a TLS server, or a TLS client'
            cand --crl-file 'Certificate revocation lists (PEM or DER) to check the path against; repeatable'
            cand --warn-days 'Warn (expires_soon) when a certificate expires in fewer than N days'
            cand --format 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki'
            cand --color 'When to colour text output (NO_COLOR is honoured under auto)'
            cand --timeout 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver'
            cand --pin 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl''s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1'
            cand --ct-log-list 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome''s log_list.json, Apple''s): the log''s name and operator, and whether its signature holds'
            cand --system-roots 'Trust the operating system''s root store instead of the built-in Mozilla roots'
            cand --json 'Print one JSON object per target (or file), one per line (JSON Lines): --format json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tlsprobe;help'= {
            cand cert 'Inspect local certificate files (PEM or DER) through the same view as a probe, like `openssl x509 -text`'
            cand verify 'Verify certificate chain files offline with the probe''s verifier, like `openssl verify`: the first certificate of the first CHAIN file is the leaf, the rest are as a server would send them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsprobe;help;cert'= {
        }
        &'tlsprobe;help;verify'= {
        }
        &'tlsprobe;help;help'= {
        }
    ]
    $completions[$command]
}
