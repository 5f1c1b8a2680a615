package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"rpcpluginpeers/gen/goecho"
	kvpb "rpcpluginpeers/gen/kv"
)

// timedRun is what the call and stream modes both report about the plugin and the method they timed.
type timedRun struct {
	Plugin          string  `json:"plugin"`
	Method          string  `json:"method"`
	ProtocolVersion int     `json:"protocol_version"`
	Pid             int     `json:"pid"`
	KillMs          float64 `json:"kill_ms"`
	ExitCode        int     `json:"exit_code"`
}

type callResult struct {
	StartMs   float64 `json:"start_ms"`
	Calls     int     `json:"calls"`
	TotalMs   float64 `json:"total_ms"`
	PerCallUs float64 `json:"per_call_us"`
	timedRun
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
	res := callResult{StartMs: s.startMs, Calls: n, TotalMs: ms(total), timedRun: s.timedRun(kind, method)}
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
	StartMs      float64 `json:"start_ms"`
	Messages     int     `json:"messages"`
	TotalMs      float64 `json:"total_ms"`
	PerMessageUs float64 `json:"per_message_us"`
	timedRun
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
	res := streamResult{StartMs: s.startMs, Messages: n, TotalMs: ms(total), timedRun: s.timedRun("echo", "goecho.Echo/ServerStream")}
	if n > 0 {
		res.PerMessageUs = round3(float64(total) / float64(time.Microsecond) / float64(n))
	}
	res.KillMs, res.ExitCode = s.kill()
	printJSON(res)
}

// timedRun describes the plugin for a result; KillMs and ExitCode are filled in once it is killed.
func (s *started) timedRun(plugin, method string) timedRun {
	return timedRun{Plugin: plugin, Method: method, ProtocolVersion: s.client.NegotiatedVersion(), Pid: s.pid()}
}
