
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tlsprobe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tlsprobe'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tlsprobe' {
            [CompletionResult]::new('--targets-file', '--targets-file', [CompletionResultType]::ParameterName, 'Read targets from FILE, one per line (`#` starts a comment); `-` is standard input')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Probe only share K of N of the targets (1 <= K <= N), chosen by a hash of each target, so that N runs (machines, batch jobs) together probe each target exactly once')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many targets to probe at once; reports still come in input order')
            [CompletionResult]::new('--starttls', '--starttls', [CompletionResultType]::ParameterName, 'Speak this protocol''s plaintext preamble first (default port: the protocol''s)')
            [CompletionResult]::new('--starttls-name', '--starttls-name', [CompletionResultType]::ParameterName, 'The name the preamble gives: the EHLO/LHLO name, the XMPP `to` (default: the server name)')
            [CompletionResult]::new('--connect-to', '--connect-to', [CompletionResultType]::ParameterName, 'Connect to ADDR[:PORT] instead, but send SNI and verify for TARGET')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Tunnel through a proxy: host:port or http://host:port (HTTP CONNECT), socks5://host:port (the target resolved here) or socks5h://host:port (resolved by the proxy). Credentials in the URL work, but --proxy-user keeps them out of the process list. Without it, https_proxy, HTTPS_PROXY, all_proxy or ALL_PROXY (as curl); '''' for none')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'The proxy''s user and password (HTTP Basic or SOCKS5 user/password); TLSPROBE_PROXY_USER is read when neither this nor the --proxy URL gives them. Never printed')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts to reach directly, not through the proxy: comma-separated names (each with its subdomains), IP addresses, CIDR ranges, or * for all; instead of no_proxy/NO_PROXY')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send (SNI) and to verify the certificate for [default: the target host; none for an IP]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Trust the roots in this PEM file instead of the built-in Mozilla roots')
            [CompletionResult]::new('--crl-file', '--crl-file', [CompletionResultType]::ParameterName, 'Check the chain against these certificate revocation lists (PEM or DER); repeatable')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Client certificate chain to present when the server asks (PEM, leaf first)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert (PEM: PKCS#8, PKCS#1 or SEC1)')
            [CompletionResult]::new('--min-days', '--min-days', [CompletionResultType]::ParameterName, 'Fail (exit 1, status checks_failed) when the leaf or an intermediate expires in fewer than N days: the check for CI')
            [CompletionResult]::new('--warn-days', '--warn-days', [CompletionResultType]::ParameterName, 'Warn (expires_soon) when a certificate expires in fewer than N days')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Offer these ALPN protocols, comma separated (e.g. h2,http/1.1)')
            [CompletionResult]::new('--cipher-suites', '--cipher-suites', [CompletionResultType]::ParameterName, 'Offer only these cipher suites (IANA names, comma separated)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Offer only these key-exchange groups, in this order (e.g. X25519MLKEM768,X25519,secp256r1)')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'After the handshake, send DATA (escapes: \r \n \t \\ \xHH) and show the answer')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Fail (exit 1, status checks_failed) unless the server follows this policy: mozilla-modern, mozilla-intermediate or mozilla-old (Mozilla''s Server Side TLS 5.7), or a policy FILE of your own (JSON, see the README). Each rule is a check; implies --scan')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl''s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1')
            [CompletionResult]::new('--ct-log-list', '--ct-log-list', [CompletionResultType]::ParameterName, 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome''s log_list.json, Apple''s): the log''s name and operator, and whether its signature holds')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append the TLS secrets to FILE in NSS key log format, for Wireshark (created mode 0600; an existing FILE must be a regular file of ours that no one else may read); SSLKEYLOGFILE is honoured too')
            [CompletionResult]::new('--pcap', '--pcap', [CompletionResultType]::ParameterName, 'Write each probe''s connection to FILE as pcapng, with the TLS secrets inside: Wireshark opens it decrypted with no key log (created mode 0600; one section per target). PATH/ or a directory: one file per target, named host_port.pcapng')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Connect over IPv4 only (curl''s -4)')
            [CompletionResult]::new('--ipv4', '--ipv4', [CompletionResultType]::ParameterName, 'Connect over IPv4 only (curl''s -4)')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Connect over IPv6 only (curl''s -6)')
            [CompletionResult]::new('--ipv6', '--ipv6', [CompletionResultType]::ParameterName, 'Connect over IPv6 only (curl''s -6)')
            [CompletionResult]::new('--all-addresses', '--all-addresses', [CompletionResultType]::ParameterName, 'Probe every address the name resolves to (after -4/-6), one report each, in the order resolved: a backend behind the name that serves another certificate shows. A target reached through a proxy is probed once')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per target (or file), one per line (JSON Lines): --format json')
            [CompletionResult]::new('--ladder', '--ladder', [CompletionResultType]::ParameterName, 'Text mode: draw the handshake as a ladder between a client and a server column, an arrow a message (═ encrypted on the wire, ─ in the clear)')
            [CompletionResult]::new('--no-sni', '--no-sni', [CompletionResultType]::ParameterName, 'Send no server name (the certificate is still verified for the target host)')
            [CompletionResult]::new('--system-roots', '--system-roots', [CompletionResultType]::ParameterName, 'Trust the operating system''s root store instead of the built-in Mozilla roots')
            [CompletionResult]::new('--pem', '--pem', [CompletionResultType]::ParameterName, 'Also print the served chain as PEM (text mode; the JSON has it in certificates[].pem)')
            [CompletionResult]::new('--tls1.2', '--tls1.2', [CompletionResultType]::ParameterName, 'Offer only TLS 1.2')
            [CompletionResult]::new('--tls1.3', '--tls1.3', [CompletionResultType]::ParameterName, 'Offer only TLS 1.3')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'After the handshake, send an HTTP GET and show the status line and security headers')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Send --send / --http data even when the chain failed verification')
            [CompletionResult]::new('--reconnect', '--reconnect', [CompletionResultType]::ParameterName, 'Connect a second time and report whether the session was resumed, and what it cost')
            [CompletionResult]::new('--scan', '--scan', [CompletionResultType]::ParameterName, 'Also find out what the server accepts: protocol versions from SSL 3.0 to TLS 1.3, the cipher suites of each in the server''s order, key-exchange groups, and findings')
            [CompletionResult]::new('--keylog-unsafe', '--keylog-unsafe', [CompletionResultType]::ParameterName, 'Write secrets (the key log, a --pcap capture) even to a file other users can read, one that is not ours, a symlink, a FIFO or a device')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Text mode: each message with its key fields and the full chain (several targets: the full report for each); -vv adds every field of every message and a hex dump of each record')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Text mode: each message with its key fields and the full chain (several targets: the full report for each); -vv adds every field of every message and a hex dump of each record')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Inspect local certificate files (PEM or DER) through the same view as a probe, like `openssl x509 -text`')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify certificate chain files offline with the probe''s verifier, like `openssl verify`: the first certificate of the first CHAIN file is the leaf, the rest are as a server would send them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsprobe;cert' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl''s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1')
            [CompletionResult]::new('--ct-log-list', '--ct-log-list', [CompletionResultType]::ParameterName, 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome''s log_list.json, Apple''s): the log''s name and operator, and whether its signature holds')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail: each extension''s OID, the SCT log IDs, policy statements, the PEM')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail: each extension''s OID, the SCT log IDs, policy statements, the PEM')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per target (or file), one per line (JSON Lines): --format json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tlsprobe;verify' {
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Trust the roots in this PEM file instead of the built-in Mozilla roots')
            [CompletionResult]::new('--untrusted', '--untrusted', [CompletionResultType]::ParameterName, 'More certificates that may be used to build the path (PEM), as if the server sent them')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The name the leaf must be valid for: a DNS name, an IP address, or (with --purpose client) an email address; without it the name is not checked')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Validate at this moment instead of now (RFC 3339, e.g. 2026-01-31T12:00:00Z)')
            [CompletionResult]::new('--purpose', '--purpose', [CompletionResultType]::ParameterName, 'What the leaf must be allowed to do: identify a TLS server, or a TLS client')
            [CompletionResult]::new('--crl-file', '--crl-file', [CompletionResultType]::ParameterName, 'Certificate revocation lists (PEM or DER) to check the path against; repeatable')
            [CompletionResult]::new('--warn-days', '--warn-days', [CompletionResultType]::ParameterName, 'Warn (expires_soon) when a certificate expires in fewer than N days')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour text output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl''s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1')
            [CompletionResult]::new('--ct-log-list', '--ct-log-list', [CompletionResultType]::ParameterName, 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome''s log_list.json, Apple''s): the log''s name and operator, and whether its signature holds')
            [CompletionResult]::new('--system-roots', '--system-roots', [CompletionResultType]::ParameterName, 'Trust the operating system''s root store instead of the built-in Mozilla roots')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per target (or file), one per line (JSON Lines): --format json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tlsprobe;help' {
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Inspect local certificate files (PEM or DER) through the same view as a probe, like `openssl x509 -text`')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify certificate chain files offline with the probe''s verifier, like `openssl verify`: the first certificate of the first CHAIN file is the leaf, the rest are as a server would send them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsprobe;help;cert' {
            break
        }
        'tlsprobe;help;verify' {
            break
        }
        'tlsprobe;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
