package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// apiError is an error answer of the WeChat API: {"errcode":42001,"errmsg":"access_token expired"}.
type apiError struct {
	Code int
	Msg  string
}

func (e *apiError) Error() string { return fmt.Sprintf("wechat api: errcode %d: %s", e.Code, e.Msg) }

// staleToken reports whether err says the access token is no longer good: 40001 (invalid
// credential), 40014 (invalid access_token) or 42001 (access_token expired).
func staleToken(err error) bool {
	e, ok := errors.AsType[*apiError](err)
	return ok && (e.Code == 40001 || e.Code == 40014 || e.Code == 42001)
}

// apiClient calls the WeChat API: the customer-service text message and its access token.
type apiClient struct {
	base   string
	client *http.Client
	tokens *tokenSource
}

func newAPIClient(cfg Config) *apiClient {
	return &apiClient{
		base:   cfg.APIBase,
		client: cfg.HTTPClient,
		tokens: &tokenSource{base: cfg.APIBase, appID: cfg.AppID, secret: cfg.AppSecret, client: cfg.HTTPClient, now: time.Now},
	}
}

// sendText sends one customer-service text message to openID (客服消息, at most 2048
// bytes). A token the API calls stale is refreshed once and the message sent again.
func (c *apiClient) sendText(ctx context.Context, openID, content string) error {
	var body struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	body.ToUser, body.MsgType, body.Text.Content = openID, "text", content
	token, err := c.tokens.token(ctx)
	if err != nil {
		return err
	}
	err = c.post(ctx, "/cgi-bin/message/custom/send?access_token="+url.QueryEscape(token), body, nil)
	if staleToken(err) {
		if token, err = c.tokens.refresh(ctx, token); err != nil {
			return err
		}
		err = c.post(ctx, "/cgi-bin/message/custom/send?access_token="+url.QueryEscape(token), body, nil)
	}
	return err
}

// post sends in as JSON to path and decodes the answer into out (if not nil). An answer
// with a non-zero errcode is an *apiError.
func (c *apiClient) post(ctx context.Context, path string, in, out any) error {
	return postJSON(ctx, c.client, c.base+path, in, out)
}

func postJSON(ctx context.Context, client *http.Client, u string, in, out any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // WeChat shows the text as sent; "<" need not become \u003c
	if err := enc.Encode(in); err != nil {
		return fmt.Errorf("wechat api: encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, &b)
	if err != nil {
		return fmt.Errorf("wechat api: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		// The URL may carry the access token: report the error without it.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return fmt.Errorf("wechat api %s: %w", req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("wechat api %s: read: %w", req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("wechat api %s: status %s", req.URL.Path, resp.Status)
	}
	var status struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &status); err != nil {
		return fmt.Errorf("wechat api %s: decode: %w", req.URL.Path, err)
	}
	if status.ErrCode != 0 {
		return &apiError{Code: status.ErrCode, Msg: status.ErrMsg}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("wechat api %s: decode: %w", req.URL.Path, err)
		}
	}
	return nil
}

// tokenSource holds the access token of the WeChat API.
//
// It uses the stable_token endpoint rather than /cgi-bin/token: fetching a token from
// /cgi-bin/token invalidates the one every other holder has (another replica, an operator's
// tool), while stable_token without force_refresh hands everyone the same token until it
// expires. The token is cached until refreshEarly before its expiry.
//
// Refreshes are serialized: WeChat limits token fetches per day, and when a token expires
// every push in progress sees it at once. The first caller fetches; the others wait for that
// fetch and share its result, so a burst of pushes costs one fetch, not one each.
type tokenSource struct {
	base, appID, secret string
	client              *http.Client
	now                 func() time.Time

	mu      sync.Mutex
	tok     string
	renewAt time.Time
	pending *tokenFetch // the fetch in progress, if any
}

// refreshEarly is how long before its expiry a token is replaced.
const refreshEarly = 5 * time.Minute

type tokenFetch struct {
	done chan struct{}
	tok  string
	err  error
}

// token returns a valid access token, fetching one if none is cached or it is about to expire.
func (s *tokenSource) token(ctx context.Context) (string, error) { return s.get(ctx, "") }

// refresh returns a token other than stale, which the API has just refused. If another
// caller has already replaced it, that token is returned without a fetch.
func (s *tokenSource) refresh(ctx context.Context, stale string) (string, error) {
	return s.get(ctx, stale)
}

func (s *tokenSource) get(ctx context.Context, stale string) (string, error) {
	s.mu.Lock()
	if s.tok != "" && s.tok != stale && s.now().Before(s.renewAt) {
		tok := s.tok
		s.mu.Unlock()
		return tok, nil
	}
	f := s.pending
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		s.pending = f
		// The fetch outlives the caller that starts it, since others wait for it too.
		go s.fetch(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return "", fmt.Errorf("wechat access token: %w", ctx.Err())
	}
}

func (s *tokenSource) fetch(ctx context.Context, f *tokenFetch) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	in := map[string]any{"grant_type": "client_credential", "appid": s.appID, "secret": s.secret, "force_refresh": false}
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	err := postJSON(ctx, s.client, s.base+"/cgi-bin/stable_token", in, &out)
	if err == nil && out.AccessToken == "" {
		err = errors.New("wechat api /cgi-bin/stable_token: no access_token in the answer")
	}
	if err != nil {
		err = fmt.Errorf("wechat access token: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = nil
	f.tok, f.err = out.AccessToken, err
	if err == nil {
		ttl := time.Duration(out.ExpiresIn) * time.Second
		if ttl > 2*refreshEarly {
			ttl -= refreshEarly
		} else {
			ttl /= 2
		}
		s.tok, s.renewAt = out.AccessToken, s.now().Add(ttl)
	}
	close(f.done)
}
