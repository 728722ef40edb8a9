package wechat

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Mode is how answers reach the citizen.
type Mode string

const (
	// ModePassive answers in the HTTP response to WeChat's callback (被动回复), the only way an
	// unverified account can reply. One message of at most 2048 bytes, within 5 seconds per try.
	ModePassive Mode = "passive"
	// ModeCustomerService replies "success" at once and pushes the answer through the
	// customer-service API (客服消息), which needs a verified account (认证服务号/订阅号),
	// the AppSecret, and the server's egress IP on the account's IP whitelist.
	ModeCustomerService Mode = "customer_service"
)

// DefaultAPIBase is WeChat's API server.
const DefaultAPIBase = "https://api.weixin.qq.com"

// DefaultPassiveBudget is how long a passive reply waits for its answer.
//
// WeChat drops the connection after 5 s. 4.2 s leaves 0.8 s for what happens outside the
// Answerer: encrypting and writing the reply, a reverse proxy in front of wenda, and the
// network between WeChat's servers and ours, which for a government server is not always
// in the same region. LangBot waits 4.8 s and CowAgent 4 s; 4.2 s sits between them.
const DefaultPassiveBudget = 4200 * time.Millisecond

// Config configures a Handler. cmd parses it from the WENDA_WECHAT_* variables.
type Config struct {
	// Token is the 令牌 set in 公众平台 → 设置与开发 → 基本配置 → 服务器配置: 3 to 32
	// letters or digits. It signs every callback.
	Token string
	// AppID is the account's AppID (wx…). Required in safe mode (it ends every encrypted
	// message) and in customer-service mode.
	AppID string
	// AppSecret fetches the access token of the customer-service API. Required in
	// customer-service mode only.
	AppSecret string
	// EncodingAESKey is the 43-character 消息加解密密钥. Empty means plaintext mode (明文).
	// Set, the Handler reads and answers encrypted messages (安全模式 and 兼容模式).
	EncodingAESKey string
	// Mode is ModePassive (the default when empty) or ModeCustomerService.
	Mode Mode
	// APIBase is the WeChat API server, DefaultAPIBase when empty. Tests point it at a fake.
	APIBase string
	// PassiveBudget is how long a passive reply waits for its answer, and the deadline the
	// Answerer gets; DefaultPassiveBudget when zero. It must stay under WeChat's 5 s.
	PassiveBudget time.Duration
	// MaxQuestionRunes is the longest question answered, the answering engine's limit
	// (cmd hands in rag.MaxQuestionRunes, as the HTTP API has it): a longer one gets a reply
	// asking to shorten it, without a call to the Answerer. Zero sets no limit here.
	MaxQuestionRunes int
	// Logger receives a line per question and answer (lengths, short hashes, timings),
	// warnings and errors; never a citizen's message or OpenID in clear. Nil discards.
	Logger *slog.Logger
	// HTTPClient calls the WeChat API. Nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	// Claims and Conversations, when set, are shared by the replicas serving the account
	// (see shared.go); nil keeps both in this process.
	Claims        Claims
	Conversations Conversations
}

// wechatTimeout is how long WeChat waits for a reply before it drops the connection.
const wechatTimeout = 5 * time.Second

// withDefaults checks cfg and fills in its defaults.
func (cfg Config) withDefaults() (Config, error) {
	var errs []error
	if n := len(cfg.Token); n < 3 || n > 32 || !isAlnum(cfg.Token) {
		errs = append(errs, errors.New("token must be 3 to 32 letters or digits"))
	}
	switch cfg.Mode {
	case "":
		cfg.Mode = ModePassive
	case ModePassive, ModeCustomerService:
	default:
		errs = append(errs, fmt.Errorf("mode %q is neither %q nor %q", cfg.Mode, ModePassive, ModeCustomerService))
	}
	if cfg.EncodingAESKey != "" && cfg.AppID == "" {
		errs = append(errs, errors.New("app id is required with an encoding AES key"))
	}
	if cfg.Mode == ModeCustomerService && (cfg.AppID == "" || cfg.AppSecret == "") {
		errs = append(errs, errors.New("app id and app secret are required in customer_service mode"))
	}
	switch {
	case cfg.PassiveBudget == 0:
		cfg.PassiveBudget = DefaultPassiveBudget
	case cfg.PassiveBudget < 0 || cfg.PassiveBudget >= wechatTimeout:
		errs = append(errs, fmt.Errorf("passive budget %v is not between 0 and %v", cfg.PassiveBudget, wechatTimeout))
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	if u, err := url.Parse(cfg.APIBase); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("api base %q is not an http(s) URL", cfg.APIBase))
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return cfg, errors.Join(errs...)
}

func isAlnum(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
