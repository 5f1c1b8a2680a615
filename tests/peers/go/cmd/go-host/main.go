// go-host is a small go-plugin host: it starts plugins with HashiCorp's go-plugin client (plugin.NewClient,
// gRPC only, Managed) and drives them. It is the reference client RpcPlugin is compared with.
//
//	go-host call <kv|echo> <plugin> <n>   start with AutoMTLS, make n unary calls, print timings as JSON, kill
//	go-host stream <go-echo-plugin> <n>   start with AutoMTLS, one ServerStream of n messages, print timings
//	go-host reattach <kv|echo> <plugin>   start WITHOUT AutoMTLS, print the ReattachConfig as JSON, wait for
//	                                      stdin to close or SIGTERM/SIGINT (or the plugin to exit), kill it
//	go-host testplugin <TestPlugin>       drive RpcPlugin's C# test plugin with AutoMTLS and check the answers
//
// Only JSON goes to stdout (one object, one line); go-plugin's own log goes to stderr at GO_HOST_LOG_LEVEL
// (default warn; trace shows every step and the plugin's log lines).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"

	"rpcpluginpeers/peer"
)

const usage = `usage:
  go-host call <kv|echo> <path-to-plugin> <n>
  go-host stream <path-to-go-echo-plugin> <n>
  go-host reattach <kv|echo> <path-to-plugin>
  go-host testplugin <path-to-TestPlugin>`

var (
	logger      hclog.Logger
	cleanupOnce sync.Once
)

// cleanup kills every managed plugin client (go-plugin's CleanupClients may run only once).
func cleanup() { cleanupOnce.Do(plugin.CleanupClients) }

func fail(format string, args ...interface{}) {
	cleanup()
	fmt.Fprintf(os.Stderr, "go-host: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	logger = hclog.New(&hclog.LoggerOptions{
		Name:   "go-host",
		Level:  peer.LevelFromEnv("GO_HOST_LOG_LEVEL", hclog.Warn),
		Output: os.Stderr,
	})
	// go-plugin passes the host's whole environment to the plugin: a PLUGIN_CLIENT_CERT inherited from whoever
	// started us would make a plugin started without AutoMTLS speak TLS with a certificate nobody holds.
	os.Unsetenv("PLUGIN_CLIENT_CERT")

	args := os.Args[1:]
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)

	switch {
	case args[0] == "call" && len(args) == 4:
		watchSignals(signals)
		runCall(args[1], args[2], count(args[3]))
	case args[0] == "stream" && len(args) == 3:
		watchSignals(signals)
		runStream(args[1], count(args[2]))
	case args[0] == "reattach" && len(args) == 3:
		runReattach(args[1], args[2], signals)
	case args[0] == "testplugin" && len(args) == 2:
		watchSignals(signals)
		runTestPlugin(args[1])
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	cleanup()
}

// watchSignals kills the plugins and exits 1 on SIGINT/SIGTERM.
func watchSignals(signals chan os.Signal) {
	go func() {
		s := <-signals
		fail("interrupted by %v", s)
	}()
}

func count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		fmt.Fprintf(os.Stderr, "go-host: <n> must be a non-negative integer, not %q\n%s\n", s, usage)
		os.Exit(2)
	}
	return n
}
