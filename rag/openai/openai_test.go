package openai_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wenda/rag"
	"wenda/rag/openai"
	"wenda/rag/ragtest"
)

var hello = []rag.ChatMessage{{Role: "system", Content: "规则"}, {Role: "user", Content: "你好"}}

func TestOpenAIChatWire(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Text: "南昌市。"})
	o := ragtest.Client(t, srv, openai.Config{})
	got, err := o.Chat(t.Context(), hello)
	if err != nil || got != "南昌市。" {
		t.Fatalf("Chat = %q, %v, want 南昌市。", got, err)
	}
	reqs := srv.ChatRequests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	want := []ragtest.Message{{Role: "system", Content: "规则"}, {Role: "user", Content: "你好"}}
	if diff := cmp.Diff(want, r.Messages); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}
	if r.Model != "qwen2.5:7b" || r.Auth != "Bearer "+ragtest.TestKey || r.Stream {
		t.Errorf("request model=%q auth=%q stream=%v, want qwen2.5:7b, the bearer key, no stream", r.Model, r.Auth, r.Stream)
	}
	// Answers are read off sources: a low temperature is always sent.
	if r.Temperature <= 0 || r.Temperature > 0.3 || r.MaxTokens <= 0 {
		t.Errorf("temperature=%v max_tokens=%d, want a low temperature and a cap", r.Temperature, r.MaxTokens)
	}
	ragtest.CheckNoFaults(t, srv)
}

func TestOpenAIChatStream(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Chunks: []string{"2020年", "南昌市", "巩固率", "97.01%[1]。"}})
	o := ragtest.Client(t, srv, openai.Config{})
	var deltas []string
	got, err := o.ChatStream(t.Context(), hello, func(d string) { deltas = append(deltas, d) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2020年", "南昌市", "巩固率", "97.01%[1]。"}; !cmp.Equal(deltas, want) || got != strings.Join(want, "") {
		t.Errorf("ChatStream = %q with deltas %q, want %q", got, deltas, want)
	}
	if r := srv.ChatRequests(); len(r) != 1 || !r[0].Stream {
		t.Errorf("requests = %+v, want one streamed", r)
	}
	ragtest.CheckNoFaults(t, srv)
}

func TestOpenAIWrongKey(t *testing.T) {
	srv := ragtest.NewServer(t, "sk-other")
	o := ragtest.Client(t, srv, openai.Config{})
	_, err := o.Chat(t.Context(), hello)
	if !errors.Is(err, rag.ErrUpstream) {
		t.Errorf("Chat with a wrong key: err = %v, want ErrUpstream", err)
	}
	// A 401 is not retried.
	if n := len(srv.Faults()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestOpenAIBaseURL(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:11434/v1", "ftp://host/v1", "http:///v1"} {
		if _, err := openai.New(openai.Config{BaseURL: u}); err == nil {
			t.Errorf("NewOpenAI(%q) succeeded, want an error", u)
		}
	}
}

func TestOpenAIRetries(t *testing.T) {
	tests := []struct {
		name     string
		replies  []ragtest.Reply
		stream   bool
		wantErr  error // nil: succeeds
		wantReqs int
	}{
		{"429 then success", []ragtest.Reply{{Status: 429}, {Text: "好"}}, false, nil, 2},
		{"500 twice then success", []ragtest.Reply{{Status: 500}, {Status: 503}, {Text: "好"}}, false, nil, 3},
		{"stream 502 then success", []ragtest.Reply{{Status: 502}, {Text: "好"}}, true, nil, 2},
		{"attempts spent", []ragtest.Reply{{Status: 500}}, false, rag.ErrUpstream, 3},
		{"400 not retried", []ragtest.Reply{{Status: 400}}, false, rag.ErrUpstream, 1},
		{"malformed JSON not retried", []ragtest.Reply{{Malformed: true, Text: "x"}}, false, rag.ErrUpstream, 1},
		{"stream broken before its first token", []ragtest.Reply{{Text: "好", BreakAfter: 1, Chunks: []string{""}}, {Text: "好"}}, true, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ragtest.NewServer(t, ragtest.TestKey)
			srv.Chat(tt.replies...)
			o := ragtest.Client(t, srv, openai.Config{})
			var err error
			if tt.stream {
				_, err = o.ChatStream(t.Context(), hello, nil)
			} else {
				_, err = o.Chat(t.Context(), hello)
			}
			if (tt.wantErr == nil) != (err == nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if n := len(srv.ChatRequests()); n != tt.wantReqs {
				t.Errorf("server saw %d requests, want %d", n, tt.wantReqs)
			}
		})
	}
}

func TestOpenAIStreamBrokenAfterFirstToken(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Chunks: []string{"南昌", "市", "巩固率"}, BreakAfter: 2})
	o := ragtest.Client(t, srv, openai.Config{})
	var deltas []string
	got, err := o.ChatStream(t.Context(), hello, func(d string) { deltas = append(deltas, d) })
	if !errors.Is(err, rag.ErrUpstream) {
		t.Errorf("err = %v, want ErrUpstream", err)
	}
	if got != "南昌市" || len(deltas) != 2 {
		t.Errorf("ChatStream = %q with deltas %q, want the text so far", got, deltas)
	}
	// Never retried once a token was passed on.
	if n := len(srv.ChatRequests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestOpenAIStreamMalformedChunk(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Chunks: []string{"南昌", "市", "巩固率", "为"}, Malformed: true})
	o := ragtest.Client(t, srv, openai.Config{})
	if _, err := o.ChatStream(t.Context(), hello, nil); !errors.Is(err, rag.ErrUpstream) {
		t.Errorf("err = %v, want ErrUpstream", err)
	}
}

func TestOpenAITimeouts(t *testing.T) {
	t.Run("context deadline", func(t *testing.T) {
		srv := ragtest.NewServer(t, ragtest.TestKey)
		srv.Chat(ragtest.Reply{Delay: ragtest.Hang})
		o := ragtest.Client(t, srv, openai.Config{})
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := o.ChatStream(ctx, hello, nil)
		if !errors.Is(err, rag.ErrUpstreamTimeout) {
			t.Errorf("err = %v, want ErrUpstreamTimeout", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("ChatStream took %v past a 200ms deadline", d)
		}
	})
	t.Run("header timeout", func(t *testing.T) {
		srv := ragtest.NewServer(t, ragtest.TestKey)
		srv.Chat(ragtest.Reply{Delay: ragtest.Hang})
		o := ragtest.Client(t, srv, openai.Config{HeaderTimeout: 100 * time.Millisecond, MaxAttempts: 1})
		if _, err := o.Chat(t.Context(), hello); !errors.Is(err, rag.ErrUpstreamTimeout) {
			t.Errorf("err = %v, want ErrUpstreamTimeout", err)
		}
	})
	t.Run("a long stream is not cut", func(t *testing.T) {
		// The header timeout bounds the wait for headers only: a stream
		// that goes on longer than it is read to its end.
		srv := ragtest.NewServer(t, ragtest.TestKey)
		srv.Chat(ragtest.Reply{Chunks: []string{"一", "二", "三", "四", "五"}, ChunkDelay: 60 * time.Millisecond})
		o := ragtest.Client(t, srv, openai.Config{HeaderTimeout: 100 * time.Millisecond})
		got, err := o.ChatStream(t.Context(), hello, nil)
		if err != nil || got != "一二三四五" {
			t.Errorf("ChatStream = %q, %v, want the whole stream", got, err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		srv := ragtest.NewServer(t, ragtest.TestKey)
		srv.Chat(ragtest.Reply{Delay: ragtest.Hang})
		o := ragtest.Client(t, srv, openai.Config{})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := o.Chat(ctx, hello)
		if !errors.Is(err, context.Canceled) || errors.Is(err, rag.ErrUpstream) {
			t.Errorf("err = %v, want context.Canceled and no upstream failure", err)
		}
	})
}

func TestOpenAIEndpointDown(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	o := ragtest.Client(t, srv, openai.Config{})
	srv.Close()
	_, err := o.ChatStream(t.Context(), hello, nil)
	if !errors.Is(err, rag.ErrUpstream) {
		t.Errorf("err = %v, want ErrUpstream", err)
	}
}

func TestOpenAIEmbed(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	o := ragtest.Client(t, srv, openai.Config{EmbedBatch: 4})
	texts := []string{"南昌", "九江", "巴中", "义务教育巩固率", "学前教育", "高中", "职业教育", "经费", "教师", "幼儿园"}
	vecs, err := o.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("got %d vectors for %d texts", len(vecs), len(texts))
	}
	for i, v := range vecs {
		var sum float64
		for _, x := range v {
			sum += float64(x) * float64(x)
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("vector %d has squared length %v, want 1", i, sum)
		}
		// In the order of the texts, although the server lists them in
		// reverse.
		want := ragtest.Vector(texts[i], len(v))
		if cos := cosine(v, want); cos < 0.9999 {
			t.Errorf("vector %d is not the embedding of %q (cosine %v)", i, texts[i], cos)
		}
	}
	reqs := srv.EmbedRequests()
	var sizes []int
	for _, r := range reqs {
		sizes = append(sizes, len(r.Input))
		if r.Model != "bge-m3" || r.Auth != "Bearer "+ragtest.TestKey {
			t.Errorf("request model=%q auth=%q, want bge-m3 and the bearer key", r.Model, r.Auth)
		}
	}
	if want := []int{4, 4, 2}; !cmp.Equal(sizes, want) {
		t.Errorf("batch sizes = %v, want %v", sizes, want)
	}
	if o.Name() != "openai:bge-m3" {
		t.Errorf("Name() = %q, want openai:bge-m3", o.Name())
	}
	ragtest.CheckNoFaults(t, srv)
}

func TestOpenAIEmbedFailures(t *testing.T) {
	tests := []struct {
		name     string
		reply    func(n int) ragtest.Reply // by request number, from 1
		wantErr  bool
		wantReqs int
	}{
		{"429 then success", func(n int) ragtest.Reply {
			if n == 1 {
				return ragtest.Reply{Status: http.StatusTooManyRequests}
			}
			return ragtest.Reply{}
		}, false, 2},
		{"always 500", func(int) ragtest.Reply { return ragtest.Reply{Status: 500} }, true, 3},
		{"malformed", func(int) ragtest.Reply { return ragtest.Reply{Malformed: true} }, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ragtest.NewServer(t, ragtest.TestKey)
			n := 0
			srv.EmbedFunc(func(ragtest.EmbedRequest) ragtest.Reply { n++; return tt.reply(n) })
			o := ragtest.Client(t, srv, openai.Config{})
			_, err := o.Embed(t.Context(), []string{"南昌"})
			if tt.wantErr != (err != nil) || (err != nil && !errors.Is(err, rag.ErrUpstream)) {
				t.Errorf("err = %v, want error %v (ErrUpstream)", err, tt.wantErr)
			}
			if got := len(srv.EmbedRequests()); got != tt.wantReqs {
				t.Errorf("server saw %d requests, want %d", got, tt.wantReqs)
			}
		})
	}
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}
