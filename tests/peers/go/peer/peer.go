// Package peer holds what the Go peers share: the handshake configurations and the go-plugin plugin
// definitions (server registration and client stubs) of the KV, echo and test-plugin services.
package peer

import (
	"context"
	"errors"
	"os"
	"strings"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"rpcpluginpeers/gen/goecho"
	kvpb "rpcpluginpeers/gen/kv"
	tppb "rpcpluginpeers/gen/testplugin"
)

// KVHandshake is go-kv-plugin's handshake: go-plugin's own KV example cookie, app protocol version 1.
var KVHandshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "BASIC_PLUGIN",
	MagicCookieValue: "hello",
}

// EchoHandshake is go-echo-plugin's handshake; its app protocol versions (1 and 2) come from VersionedPlugins.
var EchoHandshake = plugin.HandshakeConfig{
	MagicCookieKey:   "ECHO_PLUGIN",
	MagicCookieValue: "go-echo",
}

// TestPluginHandshake is the cookie of RpcPlugin's C# test plugin (tests/TestPlugin), app versions 1 and 2.
var TestPluginHandshake = plugin.HandshakeConfig{
	MagicCookieKey:   "PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "test_cookie_value",
}

// NewPluginLogger returns the hclog logger of a plugin: JSON lines on the process's real stderr (made before
// plugin.Serve swaps os.Stderr for a pipe nobody reads in go-plugin 1.0.1), level from GO_PEER_LOG_LEVEL
// (trace, debug, info, warn, error; default debug).
func NewPluginLogger(name string) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:       name,
		Level:      LevelFromEnv("GO_PEER_LOG_LEVEL", hclog.Debug),
		Output:     os.Stderr,
		JSONFormat: true,
	})
}

// LevelFromEnv reads an hclog level from an environment variable, with a default when unset or invalid.
func LevelFromEnv(name string, def hclog.Level) hclog.Level {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		if l := hclog.LevelFromString(v); l != hclog.NoLevel {
			return l
		}
	}
	return def
}

var errClientOnly = errors.New("this plugin definition is client-only")

// KVPlugin serves and dispenses proto.KV (protos/examples/kv.proto). Dispense returns a kvpb.KVClient.
type KVPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl kvpb.KVServer
}

func (p *KVPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return errClientOnly
	}
	kvpb.RegisterKVServer(s, p.Impl)
	return nil
}

func (p *KVPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return kvpb.NewKVClient(c), nil
}

// EchoV1Plugin serves and dispenses goecho.EchoV1 (app protocol version 1). Dispense returns a goecho.EchoV1Client.
type EchoV1Plugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl goecho.EchoV1Server
}

func (p *EchoV1Plugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return errClientOnly
	}
	goecho.RegisterEchoV1Server(s, p.Impl)
	return nil
}

func (p *EchoV1Plugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return goecho.NewEchoV1Client(c), nil
}

// EchoV2Plugin serves and dispenses goecho.Echo (app protocol version 2). Dispense returns a goecho.EchoClient.
type EchoV2Plugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl goecho.EchoServer
}

func (p *EchoV2Plugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return errClientOnly
	}
	goecho.RegisterEchoServer(s, p.Impl)
	return nil
}

func (p *EchoV2Plugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return goecho.NewEchoClient(c), nil
}

// TestPluginPlugin dispenses testplugin.Echo of the C# test plugin (client side only). Dispense returns a
// tppb.EchoClient.
type TestPluginPlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (p *TestPluginPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errClientOnly
}

func (p *TestPluginPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return tppb.NewEchoClient(c), nil
}
