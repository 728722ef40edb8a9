package wechat

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessageBytes is the longest text we send in one message, in bytes of UTF-8.
//
// WeChat documents 2048 bytes for a passive text reply and for a customer-service text;
// longer content is not delivered at all, with no error for a passive reply. SDK authors
// report 2047 bytes as the real limit (dodgepudding/wechat-php-sdk#363) and failures a little
// below it (silenceper/wechat#673), so we keep a margin.
const maxMessageBytes = 2000

// maxPushMessages is how many customer-service messages one question may get: WeChat allows
// 5 in the 48 hours after each message a citizen sends.
const maxPushMessages = 5

const ellipsis = "…"

// render turns an answer into WeChat's plain text: the answer, then its sources as short
// 来源 lines, laid out in at most n messages of at most maxMessageBytes each.
func render(r Reply, n int) []string {
	return layout(plainText(r.Text), sourceLines(r), n, maxMessageBytes)
}

// sourceLines lists the sources an answer cites under 来源:
//
//	来源:
//	[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)
//
// An answer that cites nothing (a plain "not in the documents") lists none.
func sourceLines(r Reply) string {
	if len(r.Sources) == 0 {
		return ""
	}
	return "来源:\n" + strings.Join(r.Sources, "\n")
}

var (
	reFence     = regexp.MustCompile("^\\s*(```|~~~)")
	reHeading   = regexp.MustCompile(`^\s{0,3}#{1,6}\s+`)
	reQuote     = regexp.MustCompile(`^\s{0,3}>\s?`)
	reBullet    = regexp.MustCompile(`^(\s*)[-*+]\s+`)
	reRule      = regexp.MustCompile(`^\s{0,3}([-*_]\s*){3,}$`)
	reTableSep  = regexp.MustCompile(`^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$`)
	reLink      = regexp.MustCompile(`!?\[([^\]\n]+)\]\((https?://[^\s)]+)\)`)
	reEmphasis  = regexp.MustCompile(`\*\*|__|＊＊|~~|` + "`")
	reManyBlank = regexp.MustCompile(`\n{3,}`)
)

// plainText removes the Markdown that models like to write, because WeChat shows it as
// typed: headings, emphasis (also the full-width ＊＊ of Chinese models), code fences and
// backticks, quotes, rules and tables. Bullets become "• ", links "text: url", and a table
// row "header: value; …". [n] citation markers stay. The result is also safe for XML.
func plainText(s string) string {
	s = xmlSafe(s)
	var out []string
	var header []string // the cells of the table header being read, if any
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		switch {
		case reFence.MatchString(line), reRule.MatchString(line), reTableSep.MatchString(line):
			continue
		case isTableRow(line):
			cells := tableCells(line)
			if i+1 < len(lines) && reTableSep.MatchString(lines[i+1]) {
				header = cells
				continue
			}
			out = append(out, tableLine(header, cells))
			continue
		}
		header = nil
		line = reHeading.ReplaceAllString(line, "")
		line = reQuote.ReplaceAllString(line, "")
		line = reBullet.ReplaceAllString(line, "$1• ")
		out = append(out, line)
	}
	s = strings.Join(out, "\n")
	s = reLink.ReplaceAllString(s, "$1: $2")
	s = reEmphasis.ReplaceAllString(s, "")
	s = reManyBlank.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

func isTableRow(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) > 1 && t[0] == '|' && t[len(t)-1] == '|'
}

func tableCells(line string) []string {
	t := strings.TrimSpace(line)
	cells := strings.Split(t[1:len(t)-1], "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

func tableLine(header, cells []string) string {
	var parts []string
	for i, c := range cells {
		if c == "" {
			continue
		}
		if i < len(header) && header[i] != "" {
			c = header[i] + ": " + c
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, "; ")
}

// layout puts body and sources into at most n messages of at most limit bytes.
//
// When everything does not fit, the body is cut at a line or sentence end and marked with
// "…", and the sources still close the last message: a citizen should always see where a
// figure came from. Only sources longer than half a message are cut too.
func layout(body, sources string, n, limit int) []string {
	const sep = "\n\n"
	full := body
	if sources != "" {
		full = strings.TrimSpace(body + sep + sources)
	}
	all := split(full, limit)
	if len(all) <= n {
		return all
	}
	if sources == "" || len(sep)+len(sources) > limit/2 {
		last := truncate(strings.Join(all[n-1:], "\n"), limit)
		return append(all[:n-1:n-1], last)
	}
	bodyParts := split(body, limit)
	if len(bodyParts) < n {
		return append(bodyParts, sources)
	}
	room := limit - len(sep) - len(sources) // for the body in the last message
	last := truncate(strings.Join(bodyParts[n-1:], "\n"), room) + sep + sources
	return append(bodyParts[:n-1:n-1], last)
}

// split cuts s into parts of at most limit bytes, each ending at a line break or a sentence
// end where one is in the second half of the part, and never inside a UTF-8 sequence.
func split(s string, limit int) []string {
	var parts []string
	for s = strings.TrimSpace(s); s != ""; {
		i := len(s)
		if i > limit {
			i = cut(s, limit)
		}
		if p := strings.TrimSpace(s[:i]); p != "" {
			parts = append(parts, p)
		}
		s = strings.TrimLeftFunc(s[i:], unicode.IsSpace)
	}
	return parts
}

// truncate shortens s to at most limit bytes, ending in "…" when it cut anything.
func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	room := limit - len(ellipsis)
	if room < 0 {
		return ""
	}
	i := cut(s, room)
	if i > room { // a single character longer than room
		return ellipsis
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace) + ellipsis
}

// cut returns where to end a part of s that may hold limit bytes (len(s) > limit): after the
// last line break in the second half of s[:limit], else after the last sentence end there,
// else at the last character boundary. It returns at least one character, so callers make
// progress even for a tiny limit.
func cut(s string, limit int) int {
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	if limit == 0 {
		_, n := utf8.DecodeRuneInString(s)
		return n
	}
	w := s[:limit]
	if i := strings.LastIndexByte(w, '\n'); i >= limit/2 {
		return i + 1
	}
	if i := lastSentenceEnd(w); i >= limit/2 {
		return i
	}
	return limit
}

// lastSentenceEnd returns the index just after the last sentence-ending mark in s, or -1.
func lastSentenceEnd(s string) int {
	for i := len(s); i > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		switch r {
		case '。', '!', '?', ';', '！', '？', '；', '…':
			return i
		case '.':
			// An ASCII full stop ends a sentence only before a space, not inside 97.01.
			if i < len(s) && s[i] == ' ' {
				return i
			}
		}
		i -= n
	}
	return -1
}
