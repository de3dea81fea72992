// A Go crypto/tls echo server for tlsprobe's tests: CERT KEY 1.2|1.3 [CA]; prints its port.
// With CA, a client certificate issued under it is required.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
)

func main() {
	cert, err := tls.LoadX509KeyPair(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	config := &tls.Config{Certificates: []tls.Certificate{cert}}
	if len(os.Args) > 3 && os.Args[3] == "1.2" {
		config.MaxVersion = tls.VersionTLS12
	}
	if len(os.Args) > 4 {
		pem, err := os.ReadFile(os.Args[4])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		config.ClientCAs = pool
		config.ClientAuth = tls.RequireAndVerifyClientCert
	}
	listener, err := tls.Listen("tcp", "127.0.0.1:0", config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(listener.Addr().(*net.TCPAddr).Port)
	for {
		conn, err := listener.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			buf := make([]byte, 4096)
			n, err := c.Read(buf)
			if n > 0 {
				c.Write(buf[:n])
			}
			_ = err
		}(conn)
	}
}
