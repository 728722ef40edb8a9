package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// account plays WeChat's side for one Official Account: it signs, and in safe mode
// encrypts, what it sends, and reads our replies with the reference implementation of
// crypto_test.go. key is empty in plaintext mode.
type account struct {
	token, appID, key string
}

var nonces atomic.Int64

var (
	plainAccount = account{token: testToken, appID: testAppID}
	safeAccount  = account{token: testToken, appID: testAppID, key: testKey}
)

// testMaxQuestionRunes is the question limit the tests hand in, as cmd hands in
// rag.MaxQuestionRunes.
const testMaxQuestionRunes = 500

func (a account) config(mode Mode) Config {
	return Config{Token: a.token, AppID: a.appID, AppSecret: "test-secret", EncodingAESKey: a.key, Mode: mode, MaxQuestionRunes: testMaxQuestionRunes}
}

// post returns the callback WeChat makes for the plaintext message msg.
func (a account) post(t testing.TB, ctx context.Context, msg string) *http.Request {
	t.Helper()
	// WeChat makes a new nonce for every callback; a repeated one is a replay.
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), strconv.FormatInt(nonces.Add(1), 10)
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {refSign(a.token, ts, nonce)}, "openid": {"oCitizen"}}
	body := msg
	if a.key != "" {
		enc := refEncrypt(t, a.key, a.appID, []byte("RANDOM16RANDOM16"), []byte(msg))
		body = "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", refSign(a.token, ts, nonce, enc))
	}
	return httptest.NewRequestWithContext(ctx, http.MethodPost, "/wechat/mp?"+q.Encode(), strings.NewReader(body))
}

// gotReply is a passive text reply as WeChat reads it.
type gotReply struct {
	ToUserName, FromUserName string
	CreateTime               int64
	MsgType, Content         string
}

// reply reads a passive reply; in safe mode it checks its signature and decrypts it.
func (a account) reply(t testing.TB, body []byte) gotReply {
	t.Helper()
	if a.key != "" {
		var env struct {
			Encrypt, MsgSignature, TimeStamp, Nonce string
		}
		if err := xml.Unmarshal(body, &env); err != nil {
			t.Fatalf("encrypted reply %q: %v", body, err)
		}
		if want := refSign(a.token, env.TimeStamp, env.Nonce, env.Encrypt); env.MsgSignature != want {
			t.Fatalf("reply MsgSignature = %s, want %s", env.MsgSignature, want)
		}
		msg, appID, err := refDecrypt(t, a.key, env.Encrypt)
		if err != nil || appID != a.appID {
			t.Fatalf("decrypt reply: %v, app id %q, want %q", err, appID, a.appID)
		}
		body = msg
	}
	if !bytes.HasPrefix(body, []byte("<xml>")) {
		t.Fatalf("reply %q is not a WeChat XML message", body)
	}
	var r gotReply
	if err := xml.Unmarshal(body, &r); err != nil {
		t.Fatalf("reply %q: %v", body, err)
	}
	return r
}

// textMessage is a text message from openID as WeChat sends it.
func textMessage(openID string, msgID int64, content string) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>"+
		"<MsgId>%d</MsgId></xml>", openID, content, msgID)
}

func newHandler(t testing.TB, cfg Config, a Answerer) *Handler {
	t.Helper()
	h, err := New(cfg, a)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.Shutdown(ctx)
	})
	return h
}

// serve sends req to h and returns the response.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// logBuffer collects a Handler's log for inspection, safe for the Handler's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newLog() (*slog.Logger, *logBuffer) {
	var b logBuffer
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

// fakeAPI is an httptest fake of the WeChat API on loopback: stable_token and the
// customer-service text message.
type fakeAPI struct {
	*httptest.Server

	mu      sync.Mutex
	fetches int             // stable_token calls
	expired map[string]bool // tokens the send API calls expired (42001)
	sendErr int             // errcode of every send when not 0
	sends   int             // send calls, failed ones included
	sent    []pushed        // messages delivered
	// held, if set, holds every send made with this token until holdN of them arrived.
	held  string
	holdN int
	hold  chan struct{}
}

type pushed struct{ ToUser, Content string }

func newFakeAPI(t testing.TB) *fakeAPI {
	f := &fakeAPI{expired: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cgi-bin/stable_token", f.stableToken)
	mux.HandleFunc("POST /cgi-bin/message/custom/send", f.send)
	f.Server = httptest.NewServer(mux) // binds 127.0.0.1
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) stableToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := jsonDecode(r, &in); err != nil || in.GrantType != "client_credential" || in.AppID != testAppID || in.Secret != "test-secret" {
		fmt.Fprint(w, `{"errcode":40013,"errmsg":"invalid appid"}`)
		return
	}
	f.mu.Lock()
	f.fetches++
	n := f.fetches
	f.mu.Unlock()
	fmt.Fprintf(w, `{"access_token":"token-%d","expires_in":7200}`, n)
}

func (f *fakeAPI) send(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("access_token")
	var in struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := jsonDecode(r, &in); err != nil || in.MsgType != "text" {
		fmt.Fprint(w, `{"errcode":44002,"errmsg":"empty post data"}`)
		return
	}
	f.mu.Lock()
	f.sends++
	hold := f.hold
	if token == f.held && hold != nil {
		if f.holdN--; f.holdN == 0 {
			close(hold)
		}
	}
	f.mu.Unlock()
	if token == f.held && hold != nil {
		select {
		case <-hold:
		case <-time.After(10 * time.Second):
		}
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case !strings.HasPrefix(token, "token-"):
		fmt.Fprint(w, `{"errcode":40001,"errmsg":"invalid credential"}`)
	case f.expired[token]:
		fmt.Fprint(w, `{"errcode":42001,"errmsg":"access_token expired"}`)
	case f.sendErr != 0:
		fmt.Fprintf(w, `{"errcode":%d,"errmsg":"scripted error"}`, f.sendErr)
	default:
		f.sent = append(f.sent, pushed{in.ToUser, in.Text.Content})
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
	}
}

func (f *fakeAPI) stats() (fetches, sends int, sent []pushed) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches, f.sends, append([]pushed(nil), f.sent...)
}

func jsonDecode(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
