package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"time"
)

// reattachConfig is go-plugin's ReattachConfig as newer go-plugin versions (and Terraform) write it as JSON.
// go-plugin 1.0.1's own struct has only Protocol, Addr (a net.Addr) and Pid; ProtocolVersion and Test are added.
type reattachConfig struct {
	Protocol        string
	ProtocolVersion int
	Addr            reattachAddr
	Pid             int
	Test            bool
}

type reattachAddr struct {
	Network string
	String  string
}

func runReattach(kind, path string, signals chan os.Signal) {
	// Plaintext: a reattaching client cannot take part in AutoMTLS (no certificate is exchanged).
	s, err := start(kind, kind, path, false)
	if err != nil {
		fail("%v", err)
	}
	rc := s.client.ReattachConfig()
	if rc == nil {
		fail("no reattach config")
	}
	cfg := reattachConfig{
		Protocol:        string(rc.Protocol),
		ProtocolVersion: s.client.NegotiatedVersion(),
		Addr:            reattachAddr{Network: rc.Addr.Network(), String: rc.Addr.String()},
		Pid:             rc.Pid,
		Test:            true,
	}
	tf, err := json.Marshal(map[string]reattachConfig{"registry.terraform.io/rpcplugin/" + kind: cfg})
	if err != nil {
		fail("encoding: %v", err)
	}
	printJSON(struct {
		Reattach            reattachConfig `json:"reattach"`
		TfReattachProviders string         `json:"tf_reattach_providers"`
	}{cfg, string(tf)})

	stdinClosed := make(chan struct{})
	go func() {
		io.Copy(ioutil.Discard, os.Stdin)
		close(stdinClosed)
	}()
	pluginExited := make(chan struct{})
	go func() {
		for !s.client.Exited() {
			time.Sleep(50 * time.Millisecond)
		}
		close(pluginExited)
	}()
	select {
	case <-stdinClosed:
		logger.Info("stdin closed, stopping the plugin")
	case sig := <-signals:
		logger.Info("signal received, stopping the plugin", "signal", sig.String())
	case <-pluginExited:
		fmt.Fprintf(os.Stderr, "go-host: the plugin (pid %d) exited\n", cfg.Pid)
	}
	killMs, exitCode := s.kill()
	logger.Info("plugin stopped", "kill_ms", killMs, "exit_code", exitCode)
	cleanup()
	os.Exit(0)
}
