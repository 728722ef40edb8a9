// Package openai adapts any OpenAI-compatible endpoint (Ollama, vLLM,
// DeepSeek, DashScope, OpenAI) to package rag over go-openai: a
// rag.Generator for the chat model and a rag.Embedder for the embedding
// model. It owns the wire format, timeouts and retries; it holds no
// answering logic, and package rag imports no SDK.
package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"wenda/rag"
)

// Config configures a Client. Zero fields take their defaults.
type Config struct {
	// BaseURL is the endpoint up to and including its version:
	// "http://127.0.0.1:11434/v1". go-openai appends "/chat/completions"
	// and "/embeddings" to it; without the "/v1" every call is a 404.
	BaseURL string
	// APIKey is sent as "Authorization: Bearer <key>" when set.
	APIKey string
	// ChatModel names the model for Chat and ChatStream.
	ChatModel string
	// EmbedModel names the model for Embed.
	EmbedModel string
	// Temperature of answers. Default 0.1: answers are read off the sources.
	// go-openai omits a zero temperature, which would leave the server's
	// default (often 0.7 or more).
	Temperature float32
	// MaxTokens caps a reply's length. Default 1024.
	MaxTokens int
	// HeaderTimeout bounds the wait for a reply's headers
	// (http.Transport.ResponseHeaderTimeout). Default 60s. The wait for a
	// first token is the caller's context deadline (the engine's
	// LLMConfig.Timeout); this is the net for calls without one. There is
	// deliberately no http.Client.Timeout: it would cut long streams.
	HeaderTimeout time.Duration
	// EmbedTimeout bounds one embeddings request. Default 60s: a CPU server
	// takes a while for a batch of chunks.
	EmbedTimeout time.Duration
	// EmbedBatch is how many texts go in one embeddings request. Default 10,
	// the most DashScope's text-embedding-v3 accepts.
	EmbedBatch int
	// Dimensions asks for shorter vectors where the model supports it
	// (text-embedding-3-*, text-embedding-v3). Default 0: the model's own.
	Dimensions int
	// MaxAttempts is how many times a call is tried. Default 3; 1 never
	// retries. Only 429, 5xx and network errors are retried, and a stream
	// only before its first token.
	MaxAttempts int
	// RetryBackoff is the wait before the second attempt; it doubles for
	// each further one, with jitter. Default 250ms.
	RetryBackoff time.Duration
}

// Defaults of Config.
const (
	DefaultTemperature   = 0.1
	DefaultMaxTokens     = 1024
	DefaultHeaderTimeout = 60 * time.Second
	DefaultEmbedTimeout  = 60 * time.Second
	DefaultEmbedBatch    = 10
	DefaultMaxAttempts   = 3
	DefaultRetryBackoff  = 250 * time.Millisecond
)

// maxBackoff caps one wait between attempts.
const maxBackoff = 4 * time.Second

// Client is the adapter to any OpenAI-compatible endpoint (Ollama, vLLM,
// DeepSeek, DashScope, OpenAI) over go-openai: a Generator for the chat
// model and an Embedder for the embedding model. go-openai has no retries:
// Client adds them. Errors wrap rag.ErrUpstream, or rag.ErrUpstreamTimeout when the
// endpoint was too slow.
type Client struct {
	cfg    Config
	client *goopenai.Client
}

var (
	_ rag.Generator = (*Client)(nil)
	_ rag.Embedder  = (*Client)(nil)
	_ rag.Named     = (*Client)(nil)
)

// New returns the adapter for cfg. It does not call the endpoint.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("openai base url %q: want http(s)://host[:port]/v1", cfg.BaseURL)
	}
	if cfg.Temperature == 0 {
		cfg.Temperature = DefaultTemperature
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = DefaultHeaderTimeout
	}
	if cfg.EmbedTimeout <= 0 {
		cfg.EmbedTimeout = DefaultEmbedTimeout
	}
	if cfg.EmbedBatch <= 0 {
		cfg.EmbedBatch = DefaultEmbedBatch
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	oc := goopenai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = cfg.HeaderTimeout
	oc.HTTPClient = &http.Client{Transport: tr}
	return &Client{cfg: cfg, client: goopenai.NewClientWithConfig(oc)}, nil
}

// Name identifies the embedding model in the saved index, so that a new
// model rebuilds it.
func (o *Client) Name() string {
	name := "openai:" + o.cfg.EmbedModel
	if o.cfg.Dimensions > 0 {
		name += fmt.Sprintf(":%d", o.cfg.Dimensions)
	}
	return name
}

var errNoModel = errors.New("no model configured")

func (o *Client) chatRequest(msgs []rag.ChatMessage, stream bool) goopenai.ChatCompletionRequest {
	req := goopenai.ChatCompletionRequest{Model: o.cfg.ChatModel, Stream: stream}
	for _, m := range msgs {
		req.Messages = append(req.Messages, goopenai.ChatCompletionMessage{Role: string(m.Role), Content: m.Content})
	}
	// OpenAI's reasoning models refuse max_tokens and any temperature but
	// the default (go-openai checks it before sending).
	if isReasoningModel(o.cfg.ChatModel) {
		req.MaxCompletionTokens = o.cfg.MaxTokens
	} else {
		// max_tokens, deprecated by OpenAI, is the field Ollama, vLLM,
		// DeepSeek and DashScope read.
		req.MaxTokens = o.cfg.MaxTokens //lint:ignore SA1019 see above
		req.Temperature = o.cfg.Temperature
	}
	return req
}

func isReasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// Chat returns the whole reply of the chat model.
func (o *Client) Chat(ctx context.Context, msgs []rag.ChatMessage) (string, error) {
	if o.cfg.ChatModel == "" {
		return "", fmt.Errorf("chat: %w", errNoModel)
	}
	req := o.chatRequest(msgs, false)
	var text string
	err := o.retry(ctx, func() (bool, error) {
		resp, err := o.client.CreateChatCompletion(ctx, req)
		if err != nil {
			return retryable(ctx, err), err
		}
		if len(resp.Choices) == 0 {
			return false, errors.New("reply has no choices")
		}
		text = resp.Choices[0].Message.Content
		return false, nil
	})
	if err != nil {
		return "", upstreamError(ctx, "chat", err)
	}
	return text, nil
}

// errStreamCut is a stream that ended without a finish reason: go-openai
// reads a connection closed before "data: [DONE]" as the stream's end, and
// every OpenAI-compatible server sends a finish_reason on its last choice.
var errStreamCut = errors.New("stream ended without a finish reason")

// ChatStream streams the reply of the chat model to onDelta. A stream that
// fails before its first token is retried like any call; after it, the text
// so far is returned with the error.
func (o *Client) ChatStream(ctx context.Context, msgs []rag.ChatMessage, onDelta func(string)) (string, error) {
	if o.cfg.ChatModel == "" {
		return "", fmt.Errorf("chat stream: %w", errNoModel)
	}
	req := o.chatRequest(msgs, true)
	var out strings.Builder
	err := o.retry(ctx, func() (bool, error) {
		stream, err := o.client.CreateChatCompletionStream(ctx, req)
		if err != nil {
			return retryable(ctx, err), err
		}
		defer stream.Close()
		finished := false
		for {
			r, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return out.Len() == 0 && retryable(ctx, err), err
			}
			if len(r.Choices) == 0 {
				continue // the usage chunk, or a keep-alive
			}
			// Reasoning models' Delta.ReasoningContent is their thinking,
			// not the answer: it is not shown.
			if d := r.Choices[0].Delta.Content; d != "" {
				out.WriteString(d)
				if onDelta != nil {
					onDelta(d)
				}
			}
			if r.Choices[0].FinishReason != "" {
				finished = true
			}
		}
		if !finished {
			return out.Len() == 0, errStreamCut
		}
		return false, nil
	})
	if err != nil {
		return out.String(), upstreamError(ctx, "chat stream", err)
	}
	return out.String(), nil
}

// Embed returns one L2-normalised vector per text, in order, asking the
// endpoint in batches of EmbedBatch. Servers do not all normalise (and
// chromem-go stores vectors as given), so Embed does.
func (o *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if o.cfg.EmbedModel == "" {
		return nil, fmt.Errorf("embed: %w", errNoModel)
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += o.cfg.EmbedBatch {
		batch := texts[start:min(start+o.cfg.EmbedBatch, len(texts))]
		vecs, err := o.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && len(vecs[0]) != len(out[0]) {
			return nil, fmt.Errorf("embed: %w: vectors of %d and %d dimensions", rag.ErrUpstream, len(out[0]), len(vecs[0]))
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (o *Client) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	var vecs [][]float32
	err := o.retry(ctx, func() (bool, error) {
		actx, cancel := context.WithTimeout(ctx, o.cfg.EmbedTimeout)
		defer cancel()
		resp, err := o.client.CreateEmbeddings(actx, goopenai.EmbeddingRequest{
			Input: texts, Model: goopenai.EmbeddingModel(o.cfg.EmbedModel), Dimensions: o.cfg.Dimensions,
		})
		if err != nil {
			return retryable(ctx, err), err
		}
		vecs, err = embeddingVectors(resp, len(texts))
		return false, err
	})
	if err != nil {
		return nil, upstreamError(ctx, "embed", err)
	}
	return vecs, nil
}

// embeddingVectors puts the reply's vectors in the order of the texts (by
// their index, which servers need not keep in order) and normalises them.
func embeddingVectors(resp goopenai.EmbeddingResponse, n int) ([][]float32, error) {
	if len(resp.Data) != n {
		return nil, fmt.Errorf("got %d vectors for %d texts", len(resp.Data), n)
	}
	out := make([][]float32, n)
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, fmt.Errorf("vector index %d out of range or repeated", d.Index)
		}
		if len(d.Embedding) == 0 {
			return nil, fmt.Errorf("vector %d is empty", d.Index)
		}
		var sum float64
		for _, x := range d.Embedding {
			sum += float64(x) * float64(x)
		}
		if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
			return nil, fmt.Errorf("vector %d has no direction", d.Index)
		}
		out[d.Index] = rag.L2Normalize(d.Embedding)
	}
	for i := range out[1:] {
		if len(out[i+1]) != len(out[0]) {
			return nil, fmt.Errorf("vectors of %d and %d dimensions", len(out[0]), len(out[i+1]))
		}
	}
	return out, nil
}

// retry runs call until it succeeds, says not to retry, or MaxAttempts are
// spent, waiting RetryBackoff·2ⁿ (±25%) between attempts. It never waits past
// ctx's deadline: the caller's fallback needs the time.
func (o *Client) retry(ctx context.Context, call func() (retry bool, err error)) error {
	wait := o.cfg.RetryBackoff
	for attempt := 1; ; attempt++ {
		again, err := call()
		if err == nil {
			return nil
		}
		if !again || attempt >= o.cfg.MaxAttempts {
			return err
		}
		d := min(wait, maxBackoff)
		d += time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return err
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait *= 2
	}
}

// retryable reports whether a failed call may succeed when repeated: the
// server was busy (429) or failed (5xx), or the connection did. A 4xx is
// the request's fault and a malformed reply the server's way: neither
// changes on a retry. Nothing is retried once ctx is done.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.HTTPStatusCode == http.StatusTooManyRequests || apiErr.HTTPStatusCode >= 500
	case errors.As(err, &reqErr):
		return reqErr.HTTPStatusCode == http.StatusTooManyRequests || reqErr.HTTPStatusCode >= 500
	}
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errStreamCut)
}

// upstreamError wraps a failed call: rag.ErrUpstreamTimeout when a deadline or
// the header timeout passed, the context's error when the caller cancelled,
// rag.ErrUpstream otherwise.
func upstreamError(ctx context.Context, op string, err error) error {
	var netErr net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("%s: %w: %w", op, rag.ErrUpstreamTimeout, err)
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", op, context.Cause(ctx))
	}
	return fmt.Errorf("%s: %w: %w", op, rag.ErrUpstream, err)
}
