package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"wenda/api"
	"wenda/api/wechat"
	"wenda/rag"
)

// A command is one of wenda's subcommands.
type command struct {
	name    string
	args    string // what follows the flags in its usage line
	summary string
	env     []string // the environment variables it reads
}

// commands are listed by `wenda` and `wenda help`, in this order.
var commands = []command{
	{"serve", "", "run the HTTP service: chat page, API, admin page, WeChat channel", serveEnv},
	{"ask", `"问题"`, "answer one question in the terminal", engineEnv},
	{"add", "FILE", "add a PDF, DOCX, HTML, Markdown or text file to the data directory", engineEnv},
	{"eval", "", "run the regression cases and report accuracy, refusals and citations", engineEnv},
	{"index", "", "build the saved index in the data directory", engineEnv},
	{"version", "", "print the version", nil},
	{"help", "", "list the commands", nil},
}

// engineEnv configures the documents and the answering engine; serveEnv adds
// the service's own.
var (
	engineEnv = []string{
		"WENDA_DATA_DIR", "WENDA_SEEDS_DIR", "OPENAI_BASE_URL", "OPENAI_API_KEY", "WENDA_CHAT_MODEL",
		"WENDA_EMBED_MODEL", "WENDA_LLM_TIMEOUT", "WENDA_MAX_CONTEXT_TOKENS", "WENDA_ANSWER_CACHE",
	}
	serveEnv = append([]string{
		"WENDA_ADDR", "WENDA_ADMIN_TOKEN", "WENDA_RATE_LIMIT", "WENDA_TRUSTED_PROXIES", "WENDA_CORS_ORIGINS",
		"WENDA_UNANSWERED_LOG", "WENDA_SITE_TITLE", "WENDA_SITE_FOOTER", "WENDA_LOG_LEVEL", "WENDA_SHUTDOWN_TIMEOUT",
		"WENDA_WECHAT_TOKEN", "WENDA_WECHAT_APPID", "WENDA_WECHAT_APPSECRET", "WENDA_WECHAT_AESKEY",
		"WENDA_WECHAT_MODE", "WENDA_WECHAT_API_BASE",
	}, engineEnv...)
)

// envHelp says what each environment variable is for.
var envHelp = map[string]string{
	"WENDA_ADDR":               "listen address (default " + defaultAddr + ")",
	"WENDA_DATA_DIR":           "data directory: saved index, added documents, unanswered questions (default " + defaultDataDir + ")",
	"WENDA_SEEDS_DIR":          "extra documents directory with a manifest.json",
	"OPENAI_BASE_URL":          "OpenAI-compatible endpoint ending in /v1; with WENDA_CHAT_MODEL: llm mode",
	"OPENAI_API_KEY":           "key for that endpoint",
	"WENDA_CHAT_MODEL":         "chat model name (qwen2.5:7b, deepseek-chat…)",
	"WENDA_EMBED_MODEL":        "embedding model name (bge-m3…); unset: the local embedder",
	"WENDA_LLM_TIMEOUT":        "longest wait for the model's first token (default " + fmtDuration(rag.DefaultLLMTimeout) + ")",
	"WENDA_MAX_CONTEXT_TOKENS": "token budget for sources in the prompt (default " + strconv.Itoa(rag.DefaultMaxContextTokens) + ")",
	"WENDA_ANSWER_CACHE":       "extractive answers cached (default " + strconv.Itoa(rag.DefaultAnswerCache) + "; 0 off)",
	"WENDA_ADMIN_TOKEN":        "bearer token of the admin API and page, at least " + strconv.Itoa(minAdminTokenBytes) + " characters (unset: both off)",
	"WENDA_RATE_LIMIT":         "questions a minute per client IPv4 address or IPv6 /64, both question endpoints together (default " + strconv.Itoa(api.DefaultRateLimit) + "; 0 off)",
	"WENDA_TRUSTED_PROXIES":    "comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed (X-Real-IP never is)",
	"WENDA_SHUTDOWN_TIMEOUT":   "on SIGTERM, how long requests in progress may finish before their connections are closed (default " + fmtDuration(defaultShutdownTimeout) + ")",
	"WENDA_CORS_ORIGINS":       "comma-separated origins (http(s)://host[:port]) or * allowed to ask from a browser",
	"WENDA_UNANSWERED_LOG":     "on: keep refused questions (normalised text and count) for the admin page (default off)",
	"WENDA_SITE_TITLE":         "the chat page's title (default 教育政策问答)",
	"WENDA_SITE_FOOTER":        "the chat page's footer lines, separated by |: 主办单位, contact, disclaimer",
	"WENDA_LOG_LEVEL":          "debug, info, warn or error (default info)",
	"WENDA_WECHAT_TOKEN":       "WeChat Official Account token (unset: channel off)",
	"WENDA_WECHAT_APPID":       "WeChat AppID",
	"WENDA_WECHAT_APPSECRET":   "WeChat AppSecret (customer_service mode)",
	"WENDA_WECHAT_AESKEY":      "WeChat EncodingAESKey (unset: plaintext mode)",
	"WENDA_WECHAT_MODE":        string(wechat.ModePassive) + " or " + string(wechat.ModeCustomerService) + " (default " + string(wechat.ModePassive) + ")",
	"WENDA_WECHAT_API_BASE":    "WeChat API base URL (for tests)",
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// printUsage lists the commands.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "wenda answers questions about public documents in Chinese, from the documents alone.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: wenda <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "wenda <command> -h" for a command's flags and the environment variables it reads.`)
}

// setUsage makes fs's -h print the command's usage line, its own flags and
// the environment variables it reads, to stderr.
func setUsage(fs *flag.FlagSet, name string) {
	c, _ := lookupCommand(name)
	fs.Usage = func() {
		w := fs.Output()
		line := "usage: wenda " + name
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			line += " [flags]"
		}
		if c.args != "" {
			line += " " + c.args
		}
		fmt.Fprintln(w, line)
		if c.summary != "" {
			fmt.Fprintf(w, "\n%s%s.\n", strings.ToUpper(c.summary[:1]), c.summary[1:])
		}
		if hasFlags {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
		if len(c.env) > 0 {
			fmt.Fprintln(w, "\nenvironment (flags override):")
			for _, e := range c.env {
				fmt.Fprintf(w, "  %-25s %s\n", e, envHelp[e])
			}
		}
	}
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "wenda (unknown version)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	out := "wenda " + v
	if rev != "" {
		out += " " + rev[:min(len(rev), 12)] + modified
		if at != "" {
			out += " " + at
		}
	}
	return out + " " + bi.GoVersion
}
