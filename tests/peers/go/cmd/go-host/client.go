package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"time"

	plugin "github.com/hashicorp/go-plugin"

	"rpcpluginpeers/peer"
)

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
