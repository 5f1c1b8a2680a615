package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/golang/protobuf/ptypes/empty"
	plugin "github.com/hashicorp/go-plugin"

	tppb "rpcpluginpeers/gen/testplugin"
)

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
