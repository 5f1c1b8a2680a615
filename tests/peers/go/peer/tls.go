package peer

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io/ioutil"
	"os"
)

// ServerTLSFromEnv returns a go-plugin TLSProvider (ServeConfig.TLSProvider) serving the certificate and key of
// the PEM files named by GO_PEER_TLS_CERT and GO_PEER_TLS_KEY, as a plugin configured with its own certificate
// does: the handshake then carries no certificate and the host must verify the server against its CA. With
// GO_PEER_TLS_CLIENT_CA (a PEM file of CA certificates) every client must present a certificate issued by one of
// them. Nil when GO_PEER_TLS_CERT is unset: AutoMTLS or plaintext, as usual.
func ServerTLSFromEnv() func() (*tls.Config, error) {
	certFile := os.Getenv("GO_PEER_TLS_CERT")
	if certFile == "" {
		return nil
	}
	return func() (*tls.Config, error) {
		cert, err := tls.LoadX509KeyPair(certFile, os.Getenv("GO_PEER_TLS_KEY"))
		if err != nil {
			return nil, fmt.Errorf("GO_PEER_TLS_CERT/GO_PEER_TLS_KEY: %v", err)
		}
		config := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if caFile := os.Getenv("GO_PEER_TLS_CLIENT_CA"); caFile != "" {
			pem, err := ioutil.ReadFile(caFile)
			if err != nil {
				return nil, fmt.Errorf("GO_PEER_TLS_CLIENT_CA: %v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("GO_PEER_TLS_CLIENT_CA: no PEM certificate in %s", caFile)
			}
			config.ClientCAs = pool
			config.ClientAuth = tls.RequireAndVerifyClientCert
		}
		return config, nil
	}
}
