complete -c tlsprobe -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsprobe -l sni -d 'Server name to send (SNI) and to verify the certificate for [default: the target host; none for an IP]' -r
complete -c tlsprobe -l ca-file -d 'Trust the roots in this PEM file instead of the built-in Mozilla roots' -r -F
complete -c tlsprobe -l cert -d 'Client certificate chain to present when the server asks (PEM, leaf first)' -r -F
complete -c tlsprobe -l key -d 'Private key of --cert (PEM: PKCS#8, PKCS#1 or SEC1)' -r -F
complete -c tlsprobe -l alpn -d 'Offer these ALPN protocols, comma separated (e.g. h2,http/1.1)' -r
complete -c tlsprobe -l timeout -d 'Bound on the whole probe of one target, in seconds' -r
complete -c tlsprobe -l keylog -d 'Append the TLS secrets to FILE in NSS key log format, for Wireshark (created mode 0600); SSLKEYLOGFILE is honoured too' -r -F
complete -c tlsprobe -l json -d 'Print one JSON object per target, one per line (JSON Lines)'
complete -c tlsprobe -l no-sni -d 'Send no server name (the certificate is still verified for the target host)'
complete -c tlsprobe -l system-roots -d 'Trust the operating system\'s root store instead of the built-in Mozilla roots'
complete -c tlsprobe -l tls1.2 -d 'Offer only TLS 1.2'
complete -c tlsprobe -l tls1.3 -d 'Offer only TLS 1.3'
complete -c tlsprobe -s v -l trace -d 'Text mode: a timeline of every message with its key fields; -vv adds every field and a hex dump of each record'
complete -c tlsprobe -s h -l help -d 'Print help'
complete -c tlsprobe -s V -l version -d 'Print version'
