// go-kv-plugin is a go-plugin (HashiCorp, gRPC protocol) plugin serving proto.KV of protos/examples/kv.proto
// from memory. Handshake: BASIC_PLUGIN=hello, app protocol version 1. AutoMTLS when the client sends
// PLUGIN_CLIENT_CERT, as go-plugin does it. No server reflection: clients need the .proto or a descriptor set.
// Logs are hclog JSON lines on stderr (GO_PEER_LOG_LEVEL, default debug; each call is logged at trace).
package main

import (
	"context"
	"sync"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"

	kvpb "rpcpluginpeers/gen/kv"
	"rpcpluginpeers/peer"
)

type kvServer struct {
	kvpb.UnimplementedKVServer
	logger hclog.Logger
	mu     sync.RWMutex
	data   map[string][]byte
}

func (s *kvServer) Get(_ context.Context, req *kvpb.GetRequest) (*kvpb.GetResponse, error) {
	s.mu.RLock()
	v, ok := s.data[req.Key]
	s.mu.RUnlock()
	s.logger.Trace("get", "key", req.Key, "found", ok)
	return &kvpb.GetResponse{Value: v}, nil
}

func (s *kvServer) Put(_ context.Context, req *kvpb.PutRequest) (*kvpb.Empty, error) {
	v := append([]byte(nil), req.Value...)
	s.mu.Lock()
	s.data[req.Key] = v
	s.mu.Unlock()
	s.logger.Trace("put", "key", req.Key, "bytes", len(v))
	return &kvpb.Empty{}, nil
}

func main() {
	logger := peer.NewPluginLogger("go-kv-plugin")
	impl := &kvServer{logger: logger, data: map[string][]byte{}}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: peer.KVHandshake,
		Plugins:         plugin.PluginSet{"kv": &peer.KVPlugin{Impl: impl}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
