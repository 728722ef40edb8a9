package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"wenda/api"
	"wenda/api/wechat"
	"wenda/rag"
)

// config is everything wenda is configured with: environment first, then
// flags over it (DESIGN §3). Every value is parsed and checked once, here,
// into its type; what has a default takes it from the package that owns the
// setting. Secrets come from the environment only.
type config struct {
	Addr     string
	DataDir  string
	SeedsDir string

	// Mode is rag.ModeLLM when OPENAI_BASE_URL and WENDA_CHAT_MODEL are set,
	// else rag.ModeExtractive (also the zero value's meaning).
	Mode             rag.Mode
	OpenAIBaseURL    string
	OpenAIKey        string
	ChatModel        string
	EmbedModel       string // "": the local embedder
	LLMTimeout       time.Duration
	MaxContextTokens int
	AnswerCache      int

	AdminToken     string
	RateLimit      int
	TrustedProxies []string
	CORSOrigins    []string
	UnansweredLog  bool
	SiteTitle      string
	SiteFooter     []string

	WeChatToken   string
	WeChatAppID   string
	WeChatSecret  string
	WeChatAESKey  string
	WeChatMode    wechat.Mode
	WeChatAPIBase string

	LogLevel        slog.Level
	ShutdownTimeout time.Duration
	DatabaseURL     string
	DrainDelay      time.Duration
}

// Defaults that belong to the command itself; the others are the owning
// packages' (rag.DefaultLLMTimeout, rag.DefaultMaxContextTokens,
// rag.DefaultAnswerCache, api.DefaultRateLimit, wechat.ModePassive).
const (
	defaultAddr            = "127.0.0.1:8080"
	defaultDataDir         = "./data"
	defaultShutdownTimeout = 15 * time.Second
)

// minAdminTokenBytes is the shortest admin token accepted: the token guards
// every document the service answers from, and a short one can be guessed.
const minAdminTokenBytes = 16

// logLevels are the values of WENDA_LOG_LEVEL.
var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
}

// parseConfig reads the environment through getenv, then the flags in args.
// It returns the remaining arguments.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config, []string, error) {
	env := envReader{getenv: getenv}
	c := config{
		Addr:             env.or("WENDA_ADDR", defaultAddr),
		DataDir:          env.or("WENDA_DATA_DIR", defaultDataDir),
		SeedsDir:         getenv("WENDA_SEEDS_DIR"),
		OpenAIBaseURL:    strings.TrimRight(getenv("OPENAI_BASE_URL"), "/"),
		OpenAIKey:        getenv("OPENAI_API_KEY"),
		ChatModel:        getenv("WENDA_CHAT_MODEL"),
		EmbedModel:       getenv("WENDA_EMBED_MODEL"),
		LLMTimeout:       env.duration("WENDA_LLM_TIMEOUT", rag.DefaultLLMTimeout, time.Nanosecond, 0),
		MaxContextTokens: env.integer("WENDA_MAX_CONTEXT_TOKENS", rag.DefaultMaxContextTokens, 200),
		AnswerCache:      env.integer("WENDA_ANSWER_CACHE", rag.DefaultAnswerCache, 0),
		AdminToken:       getenv("WENDA_ADMIN_TOKEN"),
		RateLimit:        env.integer("WENDA_RATE_LIMIT", api.DefaultRateLimit, 0),
		TrustedProxies:   splitList(getenv("WENDA_TRUSTED_PROXIES"), ","),
		CORSOrigins:      splitList(getenv("WENDA_CORS_ORIGINS"), ","),
		UnansweredLog:    env.onOff("WENDA_UNANSWERED_LOG"),
		SiteTitle:        strings.TrimSpace(getenv("WENDA_SITE_TITLE")),
		SiteFooter:       splitList(getenv("WENDA_SITE_FOOTER"), "|"),
		WeChatToken:      getenv("WENDA_WECHAT_TOKEN"),
		WeChatAppID:      getenv("WENDA_WECHAT_APPID"),
		WeChatSecret:     getenv("WENDA_WECHAT_APPSECRET"),
		WeChatAESKey:     getenv("WENDA_WECHAT_AESKEY"),
		WeChatMode:       wechat.Mode(env.or("WENDA_WECHAT_MODE", string(wechat.ModePassive))),
		WeChatAPIBase:    getenv("WENDA_WECHAT_API_BASE"),
		LogLevel:         env.level("WENDA_LOG_LEVEL"),
		ShutdownTimeout:  env.duration("WENDA_SHUTDOWN_TIMEOUT", defaultShutdownTimeout, time.Nanosecond, 0),
		DatabaseURL:      getenv("WENDA_DATABASE_URL"),
	}
	// The drain delay's default depends on -database, a flag: it is known
	// after the flags.
	drainSet := getenv("WENDA_DRAIN_DELAY") != ""
	c.DrainDelay = env.duration("WENDA_DRAIN_DELAY", 0, 0, time.Minute)
	errs := env.errs
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("WENDA_TRUSTED_PROXIES: %q is not an IP or CIDR", p))
			}
		}
	}
	for _, o := range c.CORSOrigins {
		if !validOrigin(o) {
			errs = append(errs, fmt.Errorf("WENDA_CORS_ORIGINS: %q is not * or an origin such as https://www.example.gov.cn", o))
		}
	}

	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, strings.TrimPrefix(name, "wenda "))
	configFlags(fs, &c, !noListen[name])
	if name == "wenda ask" && getenv("WENDA_DATA_DIR") == "" {
		// One question keeps no files unless told where.
		c.DataDir = ""
		fs.Lookup("data").DefValue = ""
		fs.Lookup("data").Usage = "data directory to use and keep (env WENDA_DATA_DIR; default: a temporary one, removed after)"
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: %w", c.Addr, err))
	}
	c.Mode = rag.ModeExtractive
	if c.OpenAIBaseURL != "" && c.ChatModel != "" {
		c.Mode = rag.ModeLLM
	}
	if (c.OpenAIBaseURL == "") != (c.ChatModel == "") && c.EmbedModel == "" {
		errs = append(errs, errors.New("OPENAI_BASE_URL and WENDA_CHAT_MODEL go together: set both for llm mode, or neither"))
	}
	if c.EmbedModel != "" && c.OpenAIBaseURL == "" {
		errs = append(errs, errors.New("WENDA_EMBED_MODEL needs OPENAI_BASE_URL"))
	}
	if c.OpenAIBaseURL != "" && !strings.HasPrefix(c.OpenAIBaseURL, "http://") && !strings.HasPrefix(c.OpenAIBaseURL, "https://") {
		errs = append(errs, fmt.Errorf("OPENAI_BASE_URL=%q: want an http(s) URL ending in /v1", c.OpenAIBaseURL))
	}
	if c.WeChatToken != "" && c.WeChatMode != wechat.ModePassive && c.WeChatMode != wechat.ModeCustomerService {
		errs = append(errs, fmt.Errorf("WENDA_WECHAT_MODE=%q: want %s or %s", c.WeChatMode, wechat.ModePassive, wechat.ModeCustomerService))
	}
	if n := len(c.AdminToken); n > 0 && n < minAdminTokenBytes {
		errs = append(errs, fmt.Errorf("WENDA_ADMIN_TOKEN is %d characters: use at least %d random ones (for example the output of `openssl rand -hex 24`), or leave it unset to turn the admin API off", n, minAdminTokenBytes))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("WENDA_DATABASE_URL: want a postgres:// URL"))
	}
	if !drainSet && c.DatabaseURL != "" {
		// Long enough for a load balancer checking /readyz every second to
		// notice; a single process has no balancer to wait for.
		c.DrainDelay = defaultDrain
	}
	return c, fs.Args(), errors.Join(errs...)
}

// envReader reads typed values from the environment, keeping an error
// that names the variable for each value that does not parse; the value
// is then the default.
type envReader struct {
	getenv func(string) string
	errs   []error
}

func (r *envReader) or(key, def string) string {
	if v := r.getenv(key); v != "" {
		return v
	}
	return def
}

// duration reads a duration in [lo, hi] (hi 0: no upper bound).
func (r *envReader) duration(key string, def, lo, hi time.Duration) time.Duration {
	v := r.getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err == nil && d >= lo && (hi == 0 || d <= hi) {
		return d
	}
	if hi != 0 {
		r.errs = append(r.errs, fmt.Errorf("%s=%q: want a duration from %s to %s", key, v, fmtDuration(lo), fmtDuration(hi)))
	} else {
		r.errs = append(r.errs, fmt.Errorf("%s=%q: want a positive duration such as %s", key, v, fmtDuration(def)))
	}
	return def
}

// integer reads a whole number of at least lo.
func (r *envReader) integer(key string, def, lo int) int {
	v := r.getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo {
		r.errs = append(r.errs, fmt.Errorf("%s=%q: want a whole number >= %d", key, v, lo))
		return def
	}
	return n
}

// onOff reads on or off (unset: off), in any case.
func (r *envReader) onOff(key string) bool {
	switch v := strings.ToLower(r.getenv(key)); v {
	case "", "off":
		return false
	case "on":
		return true
	default:
		r.errs = append(r.errs, fmt.Errorf("%s=%q: want on or off", key, v))
		return false
	}
}

// level reads a log level (unset: info).
func (r *envReader) level(key string) slog.Level {
	v := r.or(key, "info")
	l, ok := logLevels[v]
	if !ok {
		r.errs = append(r.errs, fmt.Errorf("%s=%q: want debug, info, warn or error", key, v))
		return slog.LevelInfo
	}
	return l
}

// fmtDuration writes d as it is typed: 12s, 1m, 2s, 0s.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// splitList splits v at sep, dropping blanks around and between the items.
func splitList(v, sep string) []string {
	var out []string
	for _, p := range strings.Split(v, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// noListen are the commands that serve nothing: no -addr.
var noListen = map[string]bool{"wenda ask": true, "wenda add": true, "wenda eval": true, "wenda index": true}

// configFlags declares the flags over the environment: -addr for commands
// that listen, -data and -seeds for all.
func configFlags(fs *flag.FlagSet, c *config, listen bool) {
	if listen {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (env WENDA_ADDR)")
	}
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory for the saved index and added documents (env WENDA_DATA_DIR)")
	fs.StringVar(&c.SeedsDir, "seeds", c.SeedsDir, "extra documents directory with a manifest.json (env WENDA_SEEDS_DIR)")
	if listen {
		fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "PostgreSQL URL shared by several replicas, postgres://...; prefer the env var when it holds a password (env WENDA_DATABASE_URL)")
	}
}

// validOrigin accepts * and a browser origin: scheme http or https, a host,
// an optional port, nothing else (no path, no trailing slash).
func validOrigin(o string) bool {
	if o == "*" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}
