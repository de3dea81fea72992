# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tlsprobe_global_optspecs
    string join \n targets-file= shard= concurrency= starttls= starttls-name= 4/ipv4 6/ipv6 all-addresses connect-to= proxy= proxy-user= noproxy= json format= ladder color= sni= no-sni ca-file= system-roots crl-file= cert= key= min-days= warn-days= pem tls1.2 tls1.3 alpn= cipher-suites= groups= send= http insecure reconnect scan policy= timeout= pin= ct-log-list= keylog= keylog-unsafe pcap= v/trace h/help V/version
end

function __fish_tlsprobe_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tlsprobe_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tlsprobe_using_subcommand
    set -l cmd (__fish_tlsprobe_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l targets-file -d 'Read targets from FILE, one per line (`#` starts a comment); `-` is standard input' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l shard -d 'Probe only share K of N of the targets (1 <= K <= N), chosen by a hash of each target, so that N runs (machines, batch jobs) together probe each target exactly once' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l concurrency -d 'How many targets to probe at once; reports still come in input order' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l starttls -d 'Speak this protocol\'s plaintext preamble first (default port: the protocol\'s)' -r -f -a "smtp\t''
lmtp\t''
imap\t''
pop3\t''
sieve\t''
ftp\t''
xmpp\t''
xmpp-server\t''
ldap\t''
postgres\t''
mysql\t''"
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l starttls-name -d 'The name the preamble gives: the EHLO/LHLO name, the XMPP `to` (default: the server name)' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l connect-to -d 'Connect to ADDR[:PORT] instead, but send SNI and verify for TARGET' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l proxy -d 'Tunnel through a proxy: host:port or http://host:port (HTTP CONNECT), socks5://host:port (the target resolved here) or socks5h://host:port (resolved by the proxy). Credentials in the URL work, but --proxy-user keeps them out of the process list. Without it, https_proxy, HTTPS_PROXY, all_proxy or ALL_PROXY (as curl); \'\' for none' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l proxy-user -d 'The proxy\'s user and password (HTTP Basic or SOCKS5 user/password); TLSPROBE_PROXY_USER is read when neither this nor the --proxy URL gives them. Never printed' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l noproxy -d 'Hosts to reach directly, not through the proxy: comma-separated names (each with its subdomains), IP addresses, CIDR ranges, or * for all; instead of no_proxy/NO_PROXY' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l format -d 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki' -r -f -a "text\t''
json\t''
mermaid\t''"
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l sni -d 'Server name to send (SNI) and to verify the certificate for [default: the target host; none for an IP]' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l ca-file -d 'Trust the roots in this PEM file instead of the built-in Mozilla roots' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l crl-file -d 'Check the chain against these certificate revocation lists (PEM or DER); repeatable' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l cert -d 'Client certificate chain to present when the server asks (PEM, leaf first)' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l key -d 'Private key of --cert (PEM: PKCS#8, PKCS#1 or SEC1)' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l min-days -d 'Fail (exit 1, status checks_failed) when the leaf or an intermediate expires in fewer than N days: the check for CI' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l warn-days -d 'Warn (expires_soon) when a certificate expires in fewer than N days' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l alpn -d 'Offer these ALPN protocols, comma separated (e.g. h2,http/1.1)' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l cipher-suites -d 'Offer only these cipher suites (IANA names, comma separated)' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l groups -d 'Offer only these key-exchange groups, in this order (e.g. X25519MLKEM768,X25519,secp256r1)' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l send -d 'After the handshake, send DATA (escapes: \\r \\n \\t \\\\ \\xHH) and show the answer' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l policy -d 'Fail (exit 1, status checks_failed) unless the server follows this policy: mozilla-modern, mozilla-intermediate or mozilla-old (Mozilla\'s Server Side TLS 5.7), or a policy FILE of your own (JSON, see the README). Each rule is a check; implies --scan' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l timeout -d 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l pin -d 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl\'s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1' -r
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l ct-log-list -d 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome\'s log_list.json, Apple\'s): the log\'s name and operator, and whether its signature holds' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l keylog -d 'Append the TLS secrets to FILE in NSS key log format, for Wireshark (created mode 0600; an existing FILE must be a regular file of ours that no one else may read); SSLKEYLOGFILE is honoured too' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l pcap -d 'Write each probe\'s connection to FILE as pcapng, with the TLS secrets inside: Wireshark opens it decrypted with no key log (created mode 0600; one section per target). PATH/ or a directory: one file per target, named host_port.pcapng' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s 4 -l ipv4 -d 'Connect over IPv4 only (curl\'s -4)'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s 6 -l ipv6 -d 'Connect over IPv6 only (curl\'s -6)'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l all-addresses -d 'Probe every address the name resolves to (after -4/-6), one report each, in the order resolved: a backend behind the name that serves another certificate shows. A target reached through a proxy is probed once'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l json -d 'Print one JSON object per target (or file), one per line (JSON Lines): --format json'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l ladder -d 'Text mode: draw the handshake as a ladder between a client and a server column, an arrow a message (═ encrypted on the wire, ─ in the clear)'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l no-sni -d 'Send no server name (the certificate is still verified for the target host)'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l system-roots -d 'Trust the operating system\'s root store instead of the built-in Mozilla roots'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l pem -d 'Also print the served chain as PEM (text mode; the JSON has it in certificates[].pem)'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l tls1.2 -d 'Offer only TLS 1.2'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l tls1.3 -d 'Offer only TLS 1.3'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l http -d 'After the handshake, send an HTTP GET and show the status line and security headers'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l insecure -d 'Send --send / --http data even when the chain failed verification'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l reconnect -d 'Connect a second time and report whether the session was resumed, and what it cost'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l scan -d 'Also find out what the server accepts: protocol versions from SSL 3.0 to TLS 1.3, the cipher suites of each in the server\'s order, key-exchange groups, and findings'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -l keylog-unsafe -d 'Write secrets (the key log, a --pcap capture) even to a file other users can read, one that is not ours, a symlink, a FIFO or a device'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s v -l trace -d 'Text mode: each message with its key fields and the full chain (several targets: the full report for each); -vv adds every field of every message and a hex dump of each record'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s h -l help -d 'Print help'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -a "cert" -d 'Inspect local certificate files (PEM or DER) through the same view as a probe, like `openssl x509 -text`'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -a "verify" -d 'Verify certificate chain files offline with the probe\'s verifier, like `openssl verify`: the first certificate of the first CHAIN file is the leaf, the rest are as a server would send them'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -l format -d 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki' -r -f -a "text\t''
json\t''
mermaid\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -l timeout -d 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -l pin -d 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl\'s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -l ct-log-list -d 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome\'s log_list.json, Apple\'s): the log\'s name and operator, and whether its signature holds' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -s v -l verbose -d 'More detail: each extension\'s OID, the SCT log IDs, policy statements, the PEM'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -l json -d 'Print one JSON object per target (or file), one per line (JSON Lines): --format json'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand cert" -s h -l help -d 'Print help'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l ca-file -d 'Trust the roots in this PEM file instead of the built-in Mozilla roots' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l untrusted -d 'More certificates that may be used to build the path (PEM), as if the server sent them' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l host -d 'The name the leaf must be valid for: a DNS name, an IP address, or (with --purpose client) an email address; without it the name is not checked' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l at -d 'Validate at this moment instead of now (RFC 3339, e.g. 2026-01-31T12:00:00Z)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l purpose -d 'What the leaf must be allowed to do: identify a TLS server, or a TLS client' -r -f -a "server\t''
client\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l crl-file -d 'Certificate revocation lists (PEM or DER) to check the path against; repeatable' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l warn-days -d 'Warn (expires_soon) when a certificate expires in fewer than N days' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l format -d 'text: for a person (several targets: one line each, the full report with -v); json: as --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki' -r -f -a "text\t''
json\t''
mermaid\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l timeout -d 'Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input file (--ca-file, --cert, cert FILE, ...) may take to deliver' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l pin -d 'Pass only when a certificate on the verified path (or in the file, for cert) has one of these public-key pins, curl\'s --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...] (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l ct-log-list -d 'Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome\'s log_list.json, Apple\'s): the log\'s name and operator, and whether its signature holds' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l system-roots -d 'Trust the operating system\'s root store instead of the built-in Mozilla roots'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -l json -d 'Print one JSON object per target (or file), one per line (JSON Lines): --format json'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand verify" -s h -l help -d 'Print help'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from cert verify help" -f -a "cert" -d 'Inspect local certificate files (PEM or DER) through the same view as a probe, like `openssl x509 -text`'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from cert verify help" -f -a "verify" -d 'Verify certificate chain files offline with the probe\'s verifier, like `openssl verify`: the first certificate of the first CHAIN file is the leaf, the rest are as a server would send them'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from cert verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
