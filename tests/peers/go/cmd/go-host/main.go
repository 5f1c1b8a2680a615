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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/ioutil"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/golang/protobuf/ptypes/empty"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"

	"rpcpluginpeers/gen/goecho"
	kvpb "rpcpluginpeers/gen/kv"
	tppb "rpcpluginpeers/gen/testplugin"
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

// newClient makes a managed go-plugin client for the kind of plugin at path. The plugin set is named after
// the kind: kv (version 1), echo (versions 1 and 2, or only those given), testplugin (versions 1 and 2).
func newClient(kind, path string, autoMTLS bool, echoVersions ...int) (*plugin.Client, *exec.Cmd) {
	cmd := exec.Command(path)
	cfg := &plugin.ClientConfig{
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         autoMTLS,
		Managed:          true,
		Logger:           logger,
	}
	switch kind {
	case "kv":
		cfg.HandshakeConfig = peer.KVHandshake
		cfg.Plugins = plugin.PluginSet{"kv": &peer.KVPlugin{}}
	case "echo":
		cfg.HandshakeConfig = peer.EchoHandshake
		all := map[int]plugin.PluginSet{
			1: {"echo": &peer.EchoV1Plugin{}},
			2: {"echo": &peer.EchoV2Plugin{}},
		}
		if len(echoVersions) == 0 {
			cfg.VersionedPlugins = all
		} else {
			cfg.VersionedPlugins = map[int]plugin.PluginSet{}
			for _, v := range echoVersions {
				cfg.VersionedPlugins[v] = all[v]
			}
		}
	case "testplugin":
		cfg.HandshakeConfig = peer.TestPluginHandshake
		cfg.VersionedPlugins = map[int]plugin.PluginSet{
			1: {"testplugin": &peer.TestPluginPlugin{}},
			2: {"testplugin": &peer.TestPluginPlugin{}},
		}
	default:
		fmt.Fprintf(os.Stderr, "go-host: unknown plugin kind %q (kv or echo)\n%s\n", kind, usage)
		os.Exit(2)
	}
	return plugin.NewClient(cfg), cmd
}

// started is a plugin client that is up: handshake read, gRPC connection made, plugin dispensed and the
// health service (go-plugin's Ping, service "plugin") answered.
type started struct {
	client  *plugin.Client
	cmd     *exec.Cmd
	rpc     plugin.ClientProtocol
	raw     interface{}
	startMs float64
}

func start(kind, name, path string, autoMTLS bool, echoVersions ...int) (*started, error) {
	t0 := time.Now()
	client, cmd := newClient(kind, path, autoMTLS, echoVersions...)
	s := &started{client: client, cmd: cmd}
	rpc, err := client.Client()
	if err != nil {
		return s, fmt.Errorf("starting %s: %v", path, err)
	}
	s.rpc = rpc
	if s.raw, err = rpc.Dispense(name); err != nil {
		return s, fmt.Errorf("dispensing %q: %v", name, err)
	}
	if err = rpc.Ping(); err != nil {
		return s, fmt.Errorf("health check: %v", err)
	}
	s.startMs = ms(time.Since(t0))
	return s, nil
}

// kill ends the plugin the go-plugin way (GRPCController/Shutdown, wait up to 2 s, then SIGKILL) and returns
// how long that took and the plugin's exit code (-1: killed by a signal).
func (s *started) kill() (killMs float64, exitCode int) {
	t0 := time.Now()
	s.client.Kill()
	killMs = ms(time.Since(t0))
	exitCode = -1
	if s.cmd.ProcessState != nil {
		exitCode = s.cmd.ProcessState.ExitCode()
	}
	return
}

func (s *started) pid() int {
	if rc := s.client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return 0
}

func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }
func round3(x float64) float64   { return math.Round(x*1000) / 1000 }

func printJSON(v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		fail("encoding the result: %v", err)
	}
	os.Stdout.Write(append(b, '\n'))
}

type callResult struct {
	StartMs         float64 `json:"start_ms"`
	Calls           int     `json:"calls"`
	TotalMs         float64 `json:"total_ms"`
	PerCallUs       float64 `json:"per_call_us"`
	Plugin          string  `json:"plugin"`
	Method          string  `json:"method"`
	ProtocolVersion int     `json:"protocol_version"`
	Pid             int     `json:"pid"`
	KillMs          float64 `json:"kill_ms"`
	ExitCode        int     `json:"exit_code"`
}

func runCall(kind, path string, n int) {
	name := kind
	s, err := start(kind, name, path, true)
	if err != nil {
		fail("%v", err)
	}
	ctx := context.Background()
	var method string
	var call func(i int) error
	switch c := s.raw.(type) {
	case kvpb.KVClient:
		// One Put (not timed), then n timed Gets, each checked against the value put.
		method = "proto.KV/Get"
		value := []byte("value from go-host")
		if _, err := c.Put(ctx, &kvpb.PutRequest{Key: "go-host", Value: value}); err != nil {
			fail("Put: %v", err)
		}
		req := &kvpb.GetRequest{Key: "go-host"}
		call = func(int) error {
			r, err := c.Get(ctx, req)
			if err == nil && string(r.Value) != string(value) {
				err = fmt.Errorf("Get returned %q, want %q", r.Value, value)
			}
			return err
		}
	case goecho.EchoClient:
		method = "goecho.Echo/Unary"
		call = func(int) error { return checkEcho(c.Unary(ctx, &goecho.Msg{Text: "ping"})) }
	case goecho.EchoV1Client:
		method = "goecho.EchoV1/Unary"
		call = func(int) error { return checkEcho(c.Unary(ctx, &goecho.Msg{Text: "ping"})) }
	default:
		fail("unexpected client type %T", s.raw)
	}
	t0 := time.Now()
	for i := 0; i < n; i++ {
		if err := call(i); err != nil {
			fail("call %d of %s: %v", i+1, method, err)
		}
	}
	total := time.Since(t0)
	res := callResult{
		StartMs: s.startMs, Calls: n, TotalMs: ms(total), Plugin: kind, Method: method,
		ProtocolVersion: s.client.NegotiatedVersion(), Pid: s.pid(),
	}
	if n > 0 {
		res.PerCallUs = round3(float64(total) / float64(time.Microsecond) / float64(n))
	}
	res.KillMs, res.ExitCode = s.kill()
	printJSON(res)
}

func checkEcho(m *goecho.Msg, err error) error {
	if err == nil && m.Text != "ping" {
		err = fmt.Errorf("Unary returned %q, want %q", m.Text, "ping")
	}
	return err
}

type streamResult struct {
	StartMs         float64 `json:"start_ms"`
	Messages        int     `json:"messages"`
	TotalMs         float64 `json:"total_ms"`
	PerMessageUs    float64 `json:"per_message_us"`
	Plugin          string  `json:"plugin"`
	Method          string  `json:"method"`
	ProtocolVersion int     `json:"protocol_version"`
	Pid             int     `json:"pid"`
	KillMs          float64 `json:"kill_ms"`
	ExitCode        int     `json:"exit_code"`
}

func runStream(path string, n int) {
	s, err := start("echo", "echo", path, true, 2)
	if err != nil {
		fail("%v", err)
	}
	c := s.raw.(goecho.EchoClient)
	t0 := time.Now()
	stream, err := c.ServerStream(context.Background(), &goecho.StreamReq{Count: int32(n), Text: "stream"})
	if err != nil {
		fail("ServerStream: %v", err)
	}
	got := 0
	for {
		m, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail("ServerStream after %d messages: %v", got, err)
		}
		if int(m.Index) != got {
			fail("ServerStream message %d has index %d", got, m.Index)
		}
		got++
	}
	total := time.Since(t0)
	if got != n {
		fail("ServerStream sent %d messages, want %d", got, n)
	}
	res := streamResult{
		StartMs: s.startMs, Messages: n, TotalMs: ms(total), Plugin: "echo", Method: "goecho.Echo/ServerStream",
		ProtocolVersion: s.client.NegotiatedVersion(), Pid: s.pid(),
	}
	if n > 0 {
		res.PerMessageUs = round3(float64(total) / float64(time.Microsecond) / float64(n))
	}
	res.KillMs, res.ExitCode = s.kill()
	printJSON(res)
}

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

type testPluginResult struct {
	OK              bool    `json:"ok"`
	Error           string  `json:"error,omitempty"`
	ProtocolVersion int     `json:"protocol_version,omitempty"`
	Pid             int     `json:"pid,omitempty"`
	Network         string  `json:"network,omitempty"`
	Address         string  `json:"address,omitempty"`
	TLS             bool    `json:"tls"`
	Unary           string  `json:"unary,omitempty"`
	StreamCount     int     `json:"stream_count"`
	StartMs         float64 `json:"start_ms"`
	KillMs          float64 `json:"kill_ms"`
	ExitCode        int     `json:"exit_code"`
}

func runTestPlugin(path string) {
	res := testPluginResult{ExitCode: -1}
	s, err := start("testplugin", "testplugin", path, true)
	if err == nil {
		err = driveTestPlugin(s, &res)
	}
	if s != nil && s.client != nil {
		res.KillMs, res.ExitCode = s.kill()
		if err == nil && res.ExitCode != 0 {
			err = fmt.Errorf("the plugin did not exit cleanly after Shutdown: exit code %d", res.ExitCode)
		}
	}
	if err != nil {
		res.OK, res.Error = false, err.Error()
		printJSON(res)
		cleanup()
		os.Exit(1)
	}
	res.OK = true
	printJSON(res)
}

func driveTestPlugin(s *started, res *testPluginResult) error {
	res.StartMs = s.startMs
	res.ProtocolVersion = s.client.NegotiatedVersion()
	res.Pid = s.pid()
	grpcClient, ok := s.rpc.(*plugin.GRPCClient)
	if !ok {
		return fmt.Errorf("go-plugin gave a %T, not a *plugin.GRPCClient", s.rpc)
	}
	if grpcClient.Conn == nil {
		return errors.New("go-plugin's GRPCClient has no connection")
	}
	// The connection go-plugin made (AutoMTLS, its dialer), used directly with the generated stubs.
	echo := tppb.NewEchoClient(grpcClient.Conn)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	info, err := echo.GetInfo(ctx, &empty.Empty{})
	if err != nil {
		return fmt.Errorf("GetInfo: %v", err)
	}
	res.Network, res.Address, res.TLS = info.Network, info.Address, info.Tls
	if !info.Tls {
		return errors.New("GetInfo says the connection is not TLS, though go-plugin's client used AutoMTLS")
	}
	if int(info.ProtocolVersion) != res.ProtocolVersion {
		return fmt.Errorf("GetInfo says protocol version %d, go-plugin negotiated %d", info.ProtocolVersion, res.ProtocolVersion)
	}
	if int(info.Pid) != res.Pid {
		return fmt.Errorf("GetInfo says pid %d, go-plugin started %d", info.Pid, res.Pid)
	}

	const text = "hello from go-plugin's client"
	r, err := echo.Unary(ctx, &tppb.EchoRequest{Message: text})
	if err != nil {
		return fmt.Errorf("Unary: %v", err)
	}
	if r.Message != text || r.Index != 0 || int(r.Pid) != res.Pid {
		return fmt.Errorf("Unary returned %+v", r)
	}
	res.Unary = r.Message

	// The dispensed client (plugin.GRPCPlugin.GRPCClient over the same connection) for the stream.
	dispensed := s.raw.(tppb.EchoClient)
	const count = 5
	stream, err := dispensed.ServerStream(ctx, &tppb.StreamRequest{Count: count, Message: "s"})
	if err != nil {
		return fmt.Errorf("ServerStream: %v", err)
	}
	for {
		m, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("ServerStream after %d replies: %v", res.StreamCount, err)
		}
		if int(m.Index) != res.StreamCount || m.Message != "s" {
			return fmt.Errorf("ServerStream reply %d is %+v", res.StreamCount, m)
		}
		res.StreamCount++
	}
	if res.StreamCount != count {
		return fmt.Errorf("ServerStream sent %d replies, want %d", res.StreamCount, count)
	}
	return nil
}
