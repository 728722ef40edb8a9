package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const (
	question = "南昌义务教育巩固率是多少?"
	answer   = "2020年南昌市义务教育巩固率为97.01%[1]。"
)

var answerSources = []string{"[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)"}

// wantAnswer is answer as the citizen sees it.
const wantAnswer = answer + "\n\n来源:\n[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)"

// countingAnswerer answers every question with answer and counts its calls.
type countingAnswerer struct {
	calls atomic.Int32
	delay time.Duration // a slow model that ignores its deadline
}

func (a *countingAnswerer) Answer(ctx context.Context, q string, history []Message) (Reply, error) {
	a.calls.Add(1)
	time.Sleep(a.delay)
	return Reply{Text: answer, Answered: true, Sources: answerSources}, nil
}

func TestNew(t *testing.T) {
	ok := AnswererFunc(func(context.Context, string, []Message) (Reply, error) { return Reply{}, nil })
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"plaintext passive", Config{Token: testToken}, false},
		{"safe customer service", safeAccount.config(ModeCustomerService), false},
		{"bad AES key length", Config{Token: testToken, AppID: testAppID, EncodingAESKey: testKey[:40]}, true},
		{"AES key not base64", Config{Token: testToken, AppID: testAppID, EncodingAESKey: strings.Repeat("-", 43)}, true},
		{"AES key without app id", Config{Token: testToken, EncodingAESKey: testKey}, true},
		{"no token", Config{}, true},
		{"token too short", Config{Token: "ab"}, true},
		{"token with a newline", Config{Token: testToken + "\n"}, true},
		{"unknown mode", Config{Token: testToken, Mode: "push"}, true},
		{"customer service without secret", Config{Token: testToken, AppID: testAppID, Mode: ModeCustomerService}, true},
		{"budget of 5 s", Config{Token: testToken, PassiveBudget: 5 * time.Second}, true},
		{"bad api base", Config{Token: testToken, APIBase: "api.weixin.qq.com"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := New(tt.cfg, ok)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New(%+v) error = %v, want error %v", tt.cfg, err, tt.wantErr)
			}
			if err == nil && (h.cfg.PassiveBudget != DefaultPassiveBudget || h.cfg.APIBase != DefaultAPIBase) {
				t.Errorf("New(%+v) defaults: budget %v, api base %q", tt.cfg, h.cfg.PassiveBudget, h.cfg.APIBase)
			}
		})
	}
	if _, err := New(Config{Token: testToken}, nil); err == nil {
		t.Error("New(cfg, nil) error = nil, want an error")
	}
}

func TestVerifyURL(t *testing.T) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	echoEnc := refEncrypt(t, testKey, testAppID, []byte("RANDOM16RANDOM16"), []byte("echo-5938"))
	tests := []struct {
		name       string
		acct       account
		query      url.Values
		wantStatus int
		wantBody   string
	}{
		{"plaintext", plainAccount, url.Values{"signature": {refSign(testToken, ts, "n1")}, "timestamp": {ts}, "nonce": {"n1"}, "echostr": {"7431962"}},
			http.StatusOK, "7431962"},
		{"safe mode, plain echostr", safeAccount, url.Values{"signature": {refSign(testToken, ts, "n1")}, "timestamp": {ts}, "nonce": {"n1"}, "echostr": {"7431962"}},
			http.StatusOK, "7431962"},
		{"safe mode, encrypted echostr", safeAccount, url.Values{"msg_signature": {refSign(testToken, ts, "n1", echoEnc)}, "timestamp": {ts}, "nonce": {"n1"}, "echostr": {echoEnc}},
			http.StatusOK, "echo-5938"},
		{"bad signature", plainAccount, url.Values{"signature": {refSign("othertoken", ts, "n1")}, "timestamp": {ts}, "nonce": {"n1"}, "echostr": {"7431962"}},
			http.StatusForbidden, ""},
		{"no signature", plainAccount, url.Values{"timestamp": {ts}, "nonce": {"n1"}, "echostr": {"7431962"}},
			http.StatusForbidden, ""},
		{"stale timestamp", plainAccount, url.Values{"signature": {refSign(testToken, stale, "n1")}, "timestamp": {stale}, "nonce": {"n1"}, "echostr": {"7431962"}},
			http.StatusForbidden, ""},
		{"bad msg_signature", safeAccount, url.Values{"msg_signature": {refSign(testToken, ts, "n2", echoEnc)}, "timestamp": {ts}, "nonce": {"n1"}, "echostr": {echoEnc}},
			http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandler(t, tt.acct.config(ModePassive), &countingAnswerer{})
			rec := serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/wechat/mp?"+tt.query.Encode(), nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("GET %v: status %d, want %d", tt.query, rec.Code, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusOK && rec.Body.String() != tt.wantBody {
				t.Errorf("GET %v: body %q, want exactly %q", tt.query, rec.Body.String(), tt.wantBody)
			}
		})
	}
}

// TestVerifyURLOfficialVector checks the encrypted echostr of Tencent's sample.
func TestVerifyURLOfficialVector(t *testing.T) {
	h := newHandler(t, Config{Token: verifyToken, AppID: verifyAppID, EncodingAESKey: verifyKey}, &countingAnswerer{})
	h.now = func() time.Time { return time.Unix(1409659589, 0) }
	q := url.Values{"msg_signature": {verifyMsgSig}, "timestamp": {verifyTS}, "nonce": {verifyNonce}, "echostr": {verifyEcho}}
	rec := serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/wechat/mp?"+q.Encode(), nil))
	if rec.Code != http.StatusOK || rec.Body.String() != verifyPlain {
		t.Errorf("GET official vector: %d %q, want 200 %q", rec.Code, rec.Body.String(), verifyPlain)
	}
}

// TestOfficialEncryptedMessage answers the signed, encrypted text message of Tencent's sample.
func TestOfficialEncryptedMessage(t *testing.T) {
	var got string
	h := newHandler(t, Config{Token: sampleToken, AppID: sampleAppID, EncodingAESKey: officialKey},
		AnswererFunc(func(_ context.Context, q string, _ []Message) (Reply, error) {
			got = q
			return Reply{Text: answer, Answered: true, Sources: answerSources}, nil
		}))
	h.now = func() time.Time { return time.Unix(1409735669, 0) }
	q := url.Values{"msg_signature": {sampleMsgSig}, "timestamp": {sampleTS}, "nonce": {sampleNonce}, "encrypt_type": {"aes"}}
	body := "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[" + sampleEncrypt + "]]></Encrypt></xml>"
	rec := serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/wechat/mp?"+q.Encode(), strings.NewReader(body)))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST official message: status %d", rec.Code)
	}
	if got != "abcdteT" {
		t.Errorf("Answerer got question %q, want %q", got, "abcdteT")
	}
	acct := account{token: sampleToken, appID: sampleAppID, key: officialKey}
	want := gotReply{ToUserName: "oyORnuP8q7ou2gfYjqLzSIWZf0rs", FromUserName: "gh_10f6c3c3ac5a", CreateTime: 1409735669, MsgType: "text", Content: wantAnswer}
	if diff := cmp.Diff(want, acct.reply(t, rec.Body.Bytes())); diff != "" {
		t.Errorf("reply = got, want want (-want +got):\n%s", diff)
	}
}

// TestTextQuestion asks one question in each encryption mode and delivery mode.
func TestTextQuestion(t *testing.T) {
	for _, acct := range []account{plainAccount, safeAccount} {
		for _, mode := range []Mode{ModePassive, ModeCustomerService} {
			name := string(mode) + "/plaintext"
			if acct.key != "" {
				name = string(mode) + "/safe"
			}
			t.Run(name, func(t *testing.T) {
				api := newFakeAPI(t)
				cfg := acct.config(mode)
				cfg.APIBase, cfg.HTTPClient = api.URL, api.Client()
				var history []Message
				h := newHandler(t, cfg, AnswererFunc(func(ctx context.Context, q string, hist []Message) (Reply, error) {
					if q != question {
						t.Errorf("Answerer got %q, want %q", q, question)
					}
					if _, ok := ctx.Deadline(); !ok {
						t.Error("Answerer got a context without a deadline")
					}
					history = hist
					return Reply{Text: answer, Answered: true, Sources: answerSources}, nil
				}))
				before := time.Now().Unix()
				rec := serve(h, acct.post(t, t.Context(), textMessage("oCitizen", 1001, question)))
				if rec.Code != http.StatusOK {
					t.Fatalf("POST: status %d", rec.Code)
				}
				if err := h.Shutdown(t.Context()); err != nil {
					t.Fatalf("Shutdown: %v", err)
				}
				_, _, sent := api.stats()
				if mode == ModeCustomerService {
					if rec.Body.String() != "success" {
						t.Errorf("customer-service reply %q, want success", rec.Body.String())
					}
					if diff := cmp.Diff([]pushed{{"oCitizen", wantAnswer}}, sent); diff != "" {
						t.Errorf("pushed = got, want want (-want +got):\n%s", diff)
					}
				} else {
					got := acct.reply(t, rec.Body.Bytes())
					if got.CreateTime < before || got.CreateTime > time.Now().Unix() {
						t.Errorf("CreateTime %d, want now", got.CreateTime)
					}
					got.CreateTime = 0
					want := gotReply{ToUserName: "oCitizen", FromUserName: "gh_test", MsgType: "text", Content: wantAnswer}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("reply = got, want want (-want +got):\n%s", diff)
					}
					if !regexp.MustCompile(`<CreateTime>\d+</CreateTime>`).MatchString(replyXML(t, acct, rec.Body.Bytes())) {
						t.Errorf("CreateTime is not an integer in %s", rec.Body.String())
					}
					if len(sent) != 0 {
						t.Errorf("passive mode pushed %v", sent)
					}
				}
				if history != nil {
					t.Errorf("first question got history %v, want none", history)
				}
			})
		}
	}
}

// replyXML returns the plaintext XML of a reply.
func replyXML(t *testing.T, acct account, body []byte) string {
	if acct.key == "" {
		return string(body)
	}
	m := regexp.MustCompile(`<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no Encrypt in %s", body)
	}
	msg, _, err := refDecrypt(t, acct.key, string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return string(msg)
}

// deliver plays WeChat's side of one text message in passive mode: up to three tries, each
// dropped after 5 s without a reply. It returns the reply content and the try that got it
// (0 when none did).
func deliver(t *testing.T, h *Handler, msgID int64) (content string, try int) {
	t.Helper()
	for try := 1; try <= 3; try++ {
		ctx, cancel := context.WithTimeout(t.Context(), wechatTimeout)
		rec := serve(h, plainAccount.post(t, ctx, textMessage("oCitizen", msgID, question)))
		dropped := ctx.Err() != nil
		cancel()
		if !dropped {
			return plainAccount.reply(t, rec.Body.Bytes()).Content, try
		}
	}
	return "", 0
}

// TestPassiveRetries runs WeChat's three tries against models of different speeds, in a
// bubble with a fake clock so the real 4.2 s and 5 s apply. There is one Answerer call per
// message whatever the tries, and every try that waits gets the answer once it is ready.
func TestPassiveRetries(t *testing.T) {
	tests := []struct {
		name    string
		delay   time.Duration // the model's time; it ignores its deadline
		wantTry int
		want    string
	}{
		{"within the budget", time.Second, 1, wantAnswer},
		{"past the budget, before WeChat hangs up", 4600 * time.Millisecond, 1, wantAnswer},
		{"second try", 7 * time.Second, 2, wantAnswer},
		{"third try", 12 * time.Second, 3, wantAnswer},
		{"too slow for all three", 20 * time.Second, 3, slowText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a := &countingAnswerer{delay: tt.delay}
				h := newHandler(t, plainAccount.config(ModePassive), a)
				start := time.Now()
				got, try := deliver(t, h, 2001)
				if got != tt.want || try != tt.wantTry {
					t.Errorf("after %v: try %d got %q, want try %d to get %q", time.Since(start), try, got, tt.wantTry, tt.want)
				}
				// A late duplicate gets the same answer once it is ready, without a new call.
				time.Sleep(tt.delay)
				if got, _ := deliver(t, h, 2001); got != wantAnswer {
					t.Errorf("late duplicate got %q, want the answer", got)
				}
				if n := a.calls.Load(); n != 1 {
					t.Errorf("Answerer called %d times, want 1", n)
				}
			})
		})
	}
}

// TestPassiveConcurrentTries sends the same MsgId three times at once.
func TestPassiveConcurrentTries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := &countingAnswerer{delay: 3 * time.Second}
		h := newHandler(t, plainAccount.config(ModePassive), a)
		var wg sync.WaitGroup
		got := make([]string, 3)
		for i := range got {
			wg.Go(func() {
				rec := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 3001, question)))
				got[i] = plainAccount.reply(t, rec.Body.Bytes()).Content
			})
		}
		wg.Wait()
		if diff := cmp.Diff([]string{wantAnswer, wantAnswer, wantAnswer}, got); diff != "" {
			t.Errorf("replies = got, want want (-want +got):\n%s", diff)
		}
		if n := a.calls.Load(); n != 1 {
			t.Errorf("Answerer called %d times, want 1", n)
		}
	})
}

// TestPassiveNoAnswer: a model that honours its deadline but has nothing by then, and one
// that fails, get the kind fixed text on the first try.
func TestPassiveNoAnswer(t *testing.T) {
	tests := []struct {
		name string
		a    AnswererFunc
	}{
		{"slow model past the budget", func(ctx context.Context, _ string, _ []Message) (Reply, error) {
			select {
			case <-time.After(time.Minute):
				return Reply{Text: answer, Answered: true}, nil
			case <-ctx.Done():
				return Reply{}, ctx.Err()
			}
		}},
		{"error", func(context.Context, string, []Message) (Reply, error) {
			return Reply{}, errors.New("index not loaded")
		}},
		{"empty answer", func(context.Context, string, []Message) (Reply, error) {
			return Reply{Text: " **  ** ", Answered: true}, nil
		}},
		{"panic", func(context.Context, string, []Message) (Reply, error) { panic("bug in the answerer") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHandler(t, plainAccount.config(ModePassive), tt.a)
				start := time.Now()
				got, try := deliver(t, h, 4001)
				if got != failedText || try != 1 {
					t.Errorf("try %d got %q, want try 1 to get %q", try, got, failedText)
				}
				if d := time.Since(start); d > DefaultPassiveBudget {
					t.Errorf("reply after %v, want within the budget %v", d, DefaultPassiveBudget)
				}
			})
		})
	}
}

func TestPassiveNotAnswered(t *testing.T) {
	const notFound = "抱歉,现有资料中没有找到上海市义务教育巩固率的相关数据。"
	h := newHandler(t, plainAccount.config(ModePassive), AnswererFunc(func(context.Context, string, []Message) (Reply, error) {
		return Reply{Text: notFound, Answered: false}, nil // it cites nothing
	}))
	rec := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 4501, "上海义务教育巩固率是多少?")))
	if got := plainAccount.reply(t, rec.Body.Bytes()).Content; got != notFound {
		t.Errorf("reply %q, want %q without sources", got, notFound)
	}
}

func TestCustomerServiceRetry(t *testing.T) {
	tests := []struct {
		name      string
		sendErr   int
		wantSent  int
		wantRetry string // the passive reply of WeChat's retry
	}{
		{"push delivered", 0, 1, "success"},
		{"no permission", 48001, 0, wantAnswer},
		{"window closed", 45015, 0, wantAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			api.sendErr = tt.sendErr
			cfg := plainAccount.config(ModeCustomerService)
			cfg.APIBase, cfg.HTTPClient = api.URL, api.Client()
			a := &countingAnswerer{}
			h := newHandler(t, cfg, a)

			first := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 5001, question)))
			if first.Body.String() != "success" {
				t.Errorf("first try: %q, want success", first.Body.String())
			}
			if err := h.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			retry := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 5001, question)))
			got := retry.Body.String()
			if tt.wantRetry != "success" {
				got = plainAccount.reply(t, retry.Body.Bytes()).Content
			}
			if got != tt.wantRetry {
				t.Errorf("retry: %q, want %q", got, tt.wantRetry)
			}
			if _, _, sent := api.stats(); len(sent) != tt.wantSent {
				t.Errorf("pushed %d messages, want %d", len(sent), tt.wantSent)
			}
			if n := a.calls.Load(); n != 1 {
				t.Errorf("Answerer called %d times, want 1", n)
			}
		})
	}
}

func TestOversizedAnswer(t *testing.T) {
	sentence := "九江市“十四五”期间财政性教育经费累计投入持续增长,教育优先发展战略地位进一步巩固[1]。\n"
	long := "## 九江\n**" + strings.Repeat(sentence, 300) + "**"
	a := AnswererFunc(func(context.Context, string, []Message) (Reply, error) {
		return Reply{Text: long, Answered: true, Sources: answerSources}, nil
	})
	check := func(t *testing.T, msgs []string, max int) {
		t.Helper()
		if len(msgs) == 0 || len(msgs) > max {
			t.Fatalf("%d messages, want 1 to %d", len(msgs), max)
		}
		for i, m := range msgs {
			if len(m) > 2048 || !utf8.ValidString(m) || strings.Contains(m, "**") || strings.Contains(m, "##") {
				t.Errorf("message %d: %d bytes, valid UTF-8 %v, Markdown left %v", i, len(m), utf8.ValidString(m), strings.Contains(m, "**"))
			}
		}
		last := msgs[len(msgs)-1]
		if !strings.HasSuffix(last, ellipsis+"\n\n来源:\n[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)") {
			t.Errorf("last message ends %q, want … and the sources", last[len(last)-120:])
		}
	}

	t.Run("customer service", func(t *testing.T) {
		api := newFakeAPI(t)
		cfg := plainAccount.config(ModeCustomerService)
		cfg.APIBase, cfg.HTTPClient = api.URL, api.Client()
		h := newHandler(t, cfg, a)
		serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 6001, question)))
		if err := h.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		_, _, sent := api.stats()
		var msgs []string
		for _, p := range sent {
			msgs = append(msgs, p.Content)
		}
		check(t, msgs, maxPushMessages)
		if len(msgs) != maxPushMessages {
			t.Errorf("pushed %d messages, want %d", len(msgs), maxPushMessages)
		}
	})
	t.Run("passive", func(t *testing.T) {
		h := newHandler(t, safeAccount.config(ModePassive), a)
		rec := serve(h, safeAccount.post(t, t.Context(), textMessage("oCitizen", 6002, question)))
		check(t, []string{safeAccount.reply(t, rec.Body.Bytes()).Content}, 1)
	})
}

func TestRejected(t *testing.T) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	body := textMessage("oCitizen", 7001, question)
	enc := refEncrypt(t, testKey, testAppID, []byte("RANDOM16RANDOM16"), []byte(body))
	encBody := "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
	tests := []struct {
		name  string
		acct  account
		query url.Values
		body  string
	}{
		{"wrong signature", plainAccount, url.Values{"signature": {refSign("wrongtoken", ts, "n")}, "timestamp": {ts}, "nonce": {"n"}}, body},
		{"missing signature", plainAccount, url.Values{"timestamp": {ts}, "nonce": {"n"}}, body},
		{"missing timestamp", plainAccount, url.Values{"signature": {refSign(testToken, "", "n")}, "nonce": {"n"}}, body},
		{"stale timestamp", plainAccount, url.Values{"signature": {refSign(testToken, stale, "n")}, "timestamp": {stale}, "nonce": {"n"}}, body},
		{"plaintext with msg_signature only", plainAccount, url.Values{"msg_signature": {refSign(testToken, ts, "n")}, "timestamp": {ts}, "nonce": {"n"}}, body},
		{"wrong msg_signature", safeAccount, url.Values{"signature": {refSign(testToken, ts, "n")}, "msg_signature": {refSign(testToken, ts, "n", "other")}, "timestamp": {ts}, "nonce": {"n"}, "encrypt_type": {"aes"}}, encBody},
		{"plaintext in safe mode", safeAccount, url.Values{"signature": {refSign(testToken, ts, "n")}, "timestamp": {ts}, "nonce": {"n"}}, body},
		{"missing msg_signature", safeAccount, url.Values{"signature": {refSign(testToken, ts, "n")}, "timestamp": {ts}, "nonce": {"n"}, "encrypt_type": {"aes"}}, encBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, logs := newLog()
			cfg := tt.acct.config(ModePassive)
			cfg.Logger = log
			a := &countingAnswerer{}
			h := newHandler(t, cfg, a)
			rec := serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/wechat/mp?"+tt.query.Encode(), strings.NewReader(tt.body)))
			if rec.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", rec.Code)
			}
			if a.calls.Load() != 0 {
				t.Error("the Answerer was called")
			}
			if got := logs.String(); !strings.Contains(got, "level=WARN") || strings.Contains(got, question) || strings.Contains(got, "oCitizen") {
				t.Errorf("log %q, want a warning without the message", got)
			}
		})
	}
}

// TestNotQuestions covers what is not a question: each gets its fixed reply or "success",
// never a 5xx and never an Answerer call.
func TestNotQuestions(t *testing.T) {
	msg := func(typ, extra string) string {
		return "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[oCitizen]]></FromUserName>" +
			"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[" + typ + "]]></MsgType>" + extra + "</xml>"
	}
	tests := []struct {
		name, body string
		want       string // reply content, or "success" for a bare success
	}{
		{"image", msg("image", "<PicUrl><![CDATA[http://mmbiz/x.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId><MsgId>1</MsgId>"), onlyTextText},
		{"voice", msg("voice", "<MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>2</MsgId>"), onlyTextText},
		{"video", msg("video", "<MediaId><![CDATA[m]]></MediaId><MsgId>3</MsgId>"), onlyTextText},
		{"location", msg("location", "<Location_X>28.68</Location_X><Location_Y>115.86</Location_Y><MsgId>4</MsgId>"), onlyTextText},
		{"link", msg("link", "<Title><![CDATA[t]]></Title><Url><![CDATA[http://x]]></Url><MsgId>5</MsgId>"), onlyTextText},
		{"unknown type", msg("miniprogrampage", "<MsgId>6</MsgId>"), onlyTextText},
		{"subscribe", msg("event", "<Event><![CDATA[subscribe]]></Event>"), welcomeText},
		{"unsubscribe", msg("event", "<Event><![CDATA[unsubscribe]]></Event>"), "success"},
		{"menu click", msg("event", "<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[k]]></EventKey>"), "success"},
		{"empty text", msg("text", "<Content><![CDATA[   ]]></Content><MsgId>7</MsgId>"), emptyText},
		{"long text", msg("text", "<Content><![CDATA["+strings.Repeat("问", testMaxQuestionRunes+1)+"]]></Content><MsgId>8</MsgId>"), fmt.Sprintf(tooLongText, testMaxQuestionRunes)},
		{"broken XML", "<xml><MsgType><![CDATA[text]]></MsgType><Content>", "success"},
		{"not XML", `{"msgtype":"text"}`, "success"},
		{"other root", "<message><MsgType>text</MsgType></message>", "success"},
		{"no type", "<xml></xml>", "success"},
		{"empty body", "", "success"},
	}
	for _, acct := range []account{plainAccount, safeAccount} {
		for _, tt := range tests {
			t.Run(tt.name+"/"+map[bool]string{false: "plaintext", true: "safe"}[acct.key != ""], func(t *testing.T) {
				a := &countingAnswerer{}
				h := newHandler(t, acct.config(ModePassive), a)
				rec := serve(h, acct.post(t, t.Context(), tt.body))
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d, want 200", rec.Code)
				}
				got := rec.Body.String()
				if tt.want != "success" {
					got = acct.reply(t, rec.Body.Bytes()).Content
				}
				if got != tt.want {
					t.Errorf("reply %q, want %q", got, tt.want)
				}
				if a.calls.Load() != 0 {
					t.Error("the Answerer was called")
				}
			})
		}
	}
}

func TestBrokenCiphertext(t *testing.T) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for _, enc := range []string{"not base64!", "QUJD", refEncrypt(t, testKey, "wxother", []byte("RANDOM16RANDOM16"), []byte("<xml/>"))} {
		h := newHandler(t, safeAccount.config(ModePassive), &countingAnswerer{})
		q := url.Values{"signature": {refSign(testToken, ts, "n")}, "msg_signature": {refSign(testToken, ts, "n", enc)}, "timestamp": {ts}, "nonce": {"n"}, "encrypt_type": {"aes"}}
		body := "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
		rec := serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/wechat/mp?"+q.Encode(), strings.NewReader(body)))
		if rec.Code != http.StatusOK || rec.Body.String() != "success" {
			t.Errorf("Encrypt %q: %d %q, want 200 success", enc, rec.Code, rec.Body.String())
		}
	}
}

func TestBodyTooLarge(t *testing.T) {
	h := newHandler(t, plainAccount.config(ModePassive), &countingAnswerer{})
	rec := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 8001, strings.Repeat("问", maxBody))))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", rec.Code)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := newHandler(t, plainAccount.config(ModePassive), &countingAnswerer{})
	rec := serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodPut, "/wechat/mp", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, POST" {
		t.Errorf("PUT: %d, Allow %q; want 405, GET, POST", rec.Code, rec.Header().Get("Allow"))
	}
}

// TestReplyCDATA: an answer holding "]]>" cannot end the CDATA section early.
func TestReplyCDATA(t *testing.T) {
	const tricky = "a]]><b>x</b><![CDATA[c & d"
	h := newHandler(t, plainAccount.config(ModePassive), AnswererFunc(func(context.Context, string, []Message) (Reply, error) {
		return Reply{Text: tricky, Answered: true}, nil
	}))
	rec := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 9001, question)))
	if got := plainAccount.reply(t, rec.Body.Bytes()).Content; got != tricky {
		t.Errorf("reply content %q, want %q", got, tricky)
	}
	if !strings.Contains(rec.Body.String(), "a]]]]><![CDATA[>") {
		t.Errorf("reply %s does not split ]]>", rec.Body.String())
	}
}

// TestFollowUpHistory checks that the conversation so far reaches the Answerer, per citizen.
func TestFollowUpHistory(t *testing.T) {
	var mu sync.Mutex
	got := map[string][]Message{}
	h := newHandler(t, plainAccount.config(ModePassive), AnswererFunc(func(_ context.Context, q string, hist []Message) (Reply, error) {
		mu.Lock()
		defer mu.Unlock()
		got[q] = hist
		return Reply{Text: "答:" + q, Answered: true}, nil
	}))
	ask := func(openID string, id int64, q string) {
		t.Helper()
		rec := serve(h, plainAccount.post(t, t.Context(), textMessage(openID, id, q)))
		if rec.Code != http.StatusOK {
			t.Fatalf("ask %q: status %d", q, rec.Code)
		}
	}
	ask("oAlice", 1, "南昌义务教育巩固率是多少?")
	ask("oAlice", 2, "那九江呢?")
	ask("oBob", 3, "巴中呢?")
	ask("oAlice", 4, "2025年的目标呢?")
	ask("oAlice", 5, "学前教育呢?")

	want := map[string][]Message{
		"南昌义务教育巩固率是多少?": nil,
		"那九江呢?": {
			{RoleUser, "南昌义务教育巩固率是多少?"}, {RoleAssistant, "答:南昌义务教育巩固率是多少?"},
		},
		"巴中呢?": nil,
		"2025年的目标呢?": {
			{RoleUser, "南昌义务教育巩固率是多少?"}, {RoleAssistant, "答:南昌义务教育巩固率是多少?"},
			{RoleUser, "那九江呢?"}, {RoleAssistant, "答:那九江呢?"},
		},
		"学前教育呢?": { // the last six messages only
			{RoleUser, "南昌义务教育巩固率是多少?"}, {RoleAssistant, "答:南昌义务教育巩固率是多少?"},
			{RoleUser, "那九江呢?"}, {RoleAssistant, "答:那九江呢?"},
			{RoleUser, "2025年的目标呢?"}, {RoleAssistant, "答:2025年的目标呢?"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("histories = got, want want (-want +got):\n%s", diff)
	}
	if hist := h.history.get("oAlice", time.Now()); len(hist) != maxHistoryMessages || hist[0].Content != "那九江呢?" {
		t.Errorf("kept history %v, want the last %d messages, from 那九江呢?", hist, maxHistoryMessages)
	}
}

// TestLogsHoldNoMessage runs questions through both modes and checks that the log holds
// neither the question, the answer nor the OpenID in clear.
func TestLogsHoldNoMessage(t *testing.T) {
	const secretQuestion = "我家孩子张小明在哪个学校?"
	for _, mode := range []Mode{ModePassive, ModeCustomerService} {
		api := newFakeAPI(t)
		api.sendErr = 45047
		log, logs := newLog()
		cfg := safeAccount.config(mode)
		cfg.Logger, cfg.APIBase, cfg.HTTPClient = log, api.URL, api.Client()
		h := newHandler(t, cfg, &countingAnswerer{})
		serve(h, safeAccount.post(t, t.Context(), textMessage("oSecretOpenID", 10001, secretQuestion)))
		serve(h, safeAccount.post(t, t.Context(), "<xml><Content>"+secretQuestion))
		if err := h.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		got := logs.String()
		for _, secret := range []string{secretQuestion, "张小明", "oSecretOpenID", "97.01", "test-secret", "token-1"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s: log holds %q:\n%s", mode, secret, got)
			}
		}
		if !strings.Contains(got, "wechat question") {
			t.Errorf("%s: log lacks the question line:\n%s", mode, got)
		}
	}
}
