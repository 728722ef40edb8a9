package ragtest

import (
	"testing"
	"time"

	"wenda/rag/openai"
)

// TestKey is the API key the fake server expects from Client.
const TestKey = "sk-test"

// Client returns the OpenAI-compatible adapter pointed at srv with the
// test key, default model names and fast retries; fields set in cfg win.
func Client(t testing.TB, srv *Server, cfg openai.Config) *openai.Client {
	t.Helper()
	cfg.BaseURL = srv.BaseURL()
	cfg.APIKey = TestKey
	if cfg.ChatModel == "" {
		cfg.ChatModel = "qwen2.5:7b"
	}
	if cfg.EmbedModel == "" {
		cfg.EmbedModel = "bge-m3"
	}
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = 5 * time.Millisecond
	}
	o, err := openai.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// CheckNoFaults fails t when srv saw a request that broke the wire format.
func CheckNoFaults(t testing.TB, srv *Server) {
	t.Helper()
	if f := srv.Faults(); len(f) > 0 {
		t.Errorf("wire format faults: %q", f)
	}
}
