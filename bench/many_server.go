// A TLS server for bench/probe.py's many-target runs: Go's crypto/tls, one goroutine per
// connection, so that 1,000 handshakes can be in flight at once (openssl s_server serves one
// at a time). Arguments: CERT KEY [HOLD]; prints its port.
//
// With HOLD = n, no handshake starts until n connections are open: each group of n accepted
// connections waits for its last, so that every probe of a run at `--concurrency n` is in
// flight at the same moment (the worst case for the client's memory).
package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
)

func main() {
	cert, err := tls.LoadX509KeyPair(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hold := 0
	if len(os.Args) > 3 {
		hold, _ = strconv.Atoi(os.Args[3])
	}
	config := &tls.Config{Certificates: []tls.Certificate{cert}}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(listener.Addr().(*net.TCPAddr).Port)
	var mu sync.Mutex
	accepted := 0
	gate := make(chan struct{})
	for {
		conn, err := listener.Accept()
		if err != nil {
			continue
		}
		wait := gate
		if hold > 0 {
			mu.Lock()
			accepted++
			if accepted%hold == 0 {
				close(gate)
				gate = make(chan struct{})
			}
			mu.Unlock()
		} else {
			wait = nil
		}
		go func(c net.Conn, wait chan struct{}) {
			defer c.Close()
			if wait != nil {
				<-wait
			}
			t := tls.Server(c, config)
			if t.Handshake() != nil {
				return
			}
			buf := make([]byte, 4096)
			t.Read(buf)
		}(conn, wait)
	}
}
