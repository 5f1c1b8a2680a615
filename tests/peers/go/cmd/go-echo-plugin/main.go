// go-echo-plugin is a go-plugin (HashiCorp, gRPC protocol) plugin with grpc-go server reflection and two app
// protocol versions serving different services (protos/peers/echo.proto): version 1 serves goecho.EchoV1,
// version 2 serves goecho.Echo (all four call kinds, a failing method, a well-known type). Handshake:
// ECHO_PLUGIN=go-echo. AutoMTLS when the client sends PLUGIN_CLIENT_CERT, as go-plugin does it. Logs are hclog
// JSON lines on stderr (GO_PEER_LOG_LEVEL, default debug; each call is logged at trace, Fail at warn); the first
// line, "plugin started", gives the arguments and working directory as the plugin received them. Serves TLS with
// its own certificate when GO_PEER_TLS_CERT/GO_PEER_TLS_KEY are set (peer.ServerTLSFromEnv).
package main

import (
	"context"
	"io"
	"os"
	"strings"
	"time"

	"github.com/golang/protobuf/ptypes"
	"github.com/golang/protobuf/ptypes/empty"
	"github.com/golang/protobuf/ptypes/timestamp"
	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"

	"rpcpluginpeers/gen/goecho"
	"rpcpluginpeers/peer"
)

var pid = int32(os.Getpid())

type echoV1Server struct {
	goecho.UnimplementedEchoV1Server
	logger hclog.Logger
}

func (s *echoV1Server) Unary(_ context.Context, in *goecho.Msg) (*goecho.Msg, error) {
	s.logger.Trace("unary", "version", 1, "text", in.Text)
	return &goecho.Msg{Text: in.Text, Pid: pid, Version: 1}, nil
}

type echoServer struct {
	goecho.UnimplementedEchoServer
	logger hclog.Logger
}

func (s *echoServer) Unary(_ context.Context, in *goecho.Msg) (*goecho.Msg, error) {
	s.logger.Trace("unary", "version", 2, "text", in.Text)
	return &goecho.Msg{Text: in.Text, Pid: pid, Version: 2}, nil
}

func (s *echoServer) ServerStream(req *goecho.StreamReq, stream goecho.Echo_ServerStreamServer) error {
	if req.Count < 0 || req.IntervalMs < 0 {
		return status.Error(codes.InvalidArgument, "count and interval_ms must not be negative")
	}
	s.logger.Trace("server stream", "count", req.Count, "interval_ms", req.IntervalMs)
	ctx := stream.Context()
	for i := int32(0); i < req.Count; i++ {
		if i > 0 && req.IntervalMs > 0 {
			select {
			case <-ctx.Done():
				return status.FromContextError(ctx.Err()).Err()
			case <-time.After(time.Duration(req.IntervalMs) * time.Millisecond):
			}
		}
		if err := stream.Send(&goecho.Msg{Text: req.Text, Index: i, Pid: pid, Version: 2}); err != nil {
			return err
		}
	}
	return nil
}

func (s *echoServer) ClientStream(stream goecho.Echo_ClientStreamServer) error {
	var texts []string
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			s.logger.Trace("client stream", "count", len(texts))
			return stream.SendAndClose(&goecho.Summary{
				Count:  int32(len(texts)),
				Joined: strings.Join(texts, " "),
				Texts:  texts,
			})
		}
		if err != nil {
			return err
		}
		texts = append(texts, in.Text)
	}
}

func (s *echoServer) Bidi(stream goecho.Echo_BidiServer) error {
	for i := int32(0); ; i++ {
		in, err := stream.Recv()
		if err == io.EOF {
			s.logger.Trace("bidi", "count", i)
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&goecho.Msg{Text: in.Text, Index: i, Pid: pid, Version: 2}); err != nil {
			return err
		}
	}
}

func (s *echoServer) Fail(_ context.Context, req *goecho.FailReq) (*goecho.Msg, error) {
	if req.Code < 0 {
		return nil, status.Error(codes.InvalidArgument, "code must not be negative")
	}
	if req.Code == 0 {
		return &goecho.Msg{Text: req.Message, Pid: pid, Version: 2}, nil
	}
	code := codes.Code(uint32(req.Code))
	s.logger.Warn("failing as asked", "code", code.String(), "message", req.Message)
	return nil, status.Error(code, req.Message)
}

func (s *echoServer) Now(context.Context, *empty.Empty) (*timestamp.Timestamp, error) {
	return ptypes.TimestampProto(time.Now())
}

// grpcServer is plugin.DefaultGRPCServer plus grpc-go's server reflection (grpc.reflection.v1alpha in grpc-go
// 1.33; v1 does not exist there).
func grpcServer(opts []grpc.ServerOption) *grpc.Server {
	s := plugin.DefaultGRPCServer(opts)
	reflection.Register(s)
	return s
}

func main() {
	logger := peer.NewPluginLogger("go-echo-plugin")
	wd, _ := os.Getwd()
	logger.Debug("plugin started", "args", os.Args[1:], "working_directory", wd)
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: peer.EchoHandshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			1: {"echo": &peer.EchoV1Plugin{Impl: &echoV1Server{logger: logger}}},
			2: {"echo": &peer.EchoV2Plugin{Impl: &echoServer{logger: logger}}},
		},
		GRPCServer:  grpcServer,
		Logger:      logger,
		TLSProvider: peer.ServerTLSFromEnv(),
	})
}
