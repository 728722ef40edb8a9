package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"wenda/rag"
)

// HTTPAsker asks a running wenda: one non-streaming POST <BaseURL>/api/v1/ask
// a question, so that a deployed instance, or one in another configuration
// (llm mode, another embedder), is evaluated with the same cases. It is no
// Retriever: the API does not expose retrieval.
type HTTPAsker struct {
	BaseURL string        // "http://host:port", without /api/v1
	Timeout time.Duration // per request, retries included; 0 means none beyond ctx's
	Client  *http.Client  // nil means http.DefaultClient
}

var _ Asker = (*HTTPAsker)(nil)

// NewHTTPAsker returns an asker of the wenda at baseURL.
func NewHTTPAsker(baseURL string, timeout time.Duration) *HTTPAsker {
	return &HTTPAsker{BaseURL: strings.TrimRight(baseURL, "/"), Timeout: timeout}
}

// APIError is a response of the API other than 200, with the error body it
// sent (DESIGN §4: {"error": {"code", "message"}}).
type APIError struct {
	Status  int
	Code    string // "" when the body was not the API's error
	Message string
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("status %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("status %d %s: %s", e.Status, e.Code, e.Message)
}

// maxRateLimitWait caps how long one Retry-After is honoured.
const maxRateLimitWait = 30 * time.Second

// Ask posts the question and its history. A 429 is waited out as its
// Retry-After says, within the timeout, since a deployed wenda limits each
// client's rate and an eval asks far faster than a citizen; the case's
// latency then includes the wait. Any other status but 200 is an *APIError.
func (h *HTTPAsker) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	if h.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.Timeout)
		defer cancel()
	}
	body, err := json.Marshal(struct {
		Question string        `json:"question"`
		History  []rag.Message `json:"history"`
		Stream   bool          `json:"stream"`
	}{req.Question, nonNil(req.History), false})
	if err != nil {
		return rag.Answer{}, err
	}
	for {
		a, wait, err := h.post(ctx, body)
		if wait == 0 {
			return a, err
		}
		select {
		case <-ctx.Done():
			return rag.Answer{}, fmt.Errorf("%w (waiting out the rate limit: %w)", err, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// post makes one request; a rate-limited one returns how long to wait.
func (h *HTTPAsker) post(ctx context.Context, body []byte) (rag.Answer, time.Duration, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, h.BaseURL+"/api/v1/ask", bytes.NewReader(body))
	if err != nil {
		return rag.Answer{}, 0, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := h.client().Do(hreq)
	if err != nil {
		return rag.Answer{}, 0, fmt.Errorf("ask %s: %w", h.BaseURL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return rag.Answer{}, 0, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		err := apiError(resp.StatusCode, raw)
		if resp.StatusCode == http.StatusTooManyRequests {
			return rag.Answer{}, retryAfter(resp.Header.Get("Retry-After")), err
		}
		return rag.Answer{}, 0, err
	}
	var a rag.Answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return rag.Answer{}, 0, fmt.Errorf("decode answer: %w", err)
	}
	return a, 0, nil
}

// Ready says whether the wenda answers questions yet (GET /readyz), so that
// a run against one that is down or still loading fails once, not per case.
func (h *HTTPAsker) Ready(ctx context.Context) error {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, h.BaseURL+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := h.client().Do(hreq)
	if err != nil {
		return fmt.Errorf("wenda at %s: %w", h.BaseURL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("wenda at %s is not ready: %w", h.BaseURL, apiError(resp.StatusCode, raw))
	}
	return nil
}

func (h *HTTPAsker) client() *http.Client {
	if h.Client != nil {
		return h.Client
	}
	return http.DefaultClient
}

func apiError(status int, body []byte) *APIError {
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &eb); err == nil && eb.Error.Code != "" {
		return &APIError{Status: status, Code: eb.Error.Code, Message: eb.Error.Message}
	}
	return &APIError{Status: status, Message: clip(oneLine(string(body)), 200)}
}

// retryAfter reads a Retry-After in seconds, at least one and at most
// maxRateLimitWait.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		n = 1
	}
	return min(time.Duration(n)*time.Second, maxRateLimitWait)
}
