package rag

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"wenda/rag/zh"
)

// Chunk is a retrievable piece of a document: a run of paragraphs under one
// heading path, one table, or one 专栏 box. Units are what an extractive
// answer quotes: the chunk's sentences, or its table statements.
type Chunk struct {
	ID        string `json:"id"` // "<doc id>#<n>"
	DocID     string `json:"doc_id"`
	Title     string `json:"title"`
	City      string `json:"city"`
	Province  string `json:"province"`
	Published string `json:"published"`
	URL       string `json:"url,omitempty"`
	Section   string `json:"section"` // heading path: "四、… > 13.…"
	// SectionText is Section as the document writes it (traditional
	// characters, its punctuation), "" when the same.
	SectionText string `json:"section_text,omitempty"`
	Year        int    `json:"year"`   // the year the chunk's context speaks of when its text names none; 0 unknown
	Period      string `json:"period"` // the plan period the document is about ("十四五"), from its title
	Text        string `json:"text"`   // original text for display
	Norm        string `json:"norm"`   // normalised text for matching
	Units       []Unit `json:"units"`
	Tokens      int    `json:"tokens"`
}

// Unit is a sentence, or a table row made self-contained.
type Unit struct {
	Text   string `json:"text"`             // normalised sentence or table statement
	Year   int    `json:"year,omitempty"`   // prose: the last year named in this sentence or an earlier one of its paragraph
	Period string `json:"period,omitempty"` // prose: likewise for a plan period ("十三五")
	Key    string `json:"key,omitempty"`    // table rows: group and indicator run together ("九年义务教育巩固率")
	Head   string `json:"head,omitempty"`   // table rows: the statement up to the values
	Cells  []Cell `json:"cells,omitempty"`  // table rows: one per value column
}

// Cell is one value of a table row.
type Cell struct {
	Column string `json:"column"` // "2020年", "比2015年提高"
	Year   int    `json:"year"`   // the column's year; 0 for a difference column
	Value  string `json:"value"`  // rendered with its unit: "97.01%", "超过90%", "6.1万人"
}

// Chunk sizes in tokens (cl100k). Paragraphs are never cut inside a
// sentence, so a chunk can exceed maxChunkTokens by one sentence at most.
const (
	targetChunkTokens = 300
	maxChunkTokens    = 400
)

var (
	l1RE      = mustPattern(`^([一二三四五六七八九十]+)、`)
	l2RE      = mustPattern(`^[（(][一二三四五六七八九十]+[)）]`)
	l3RE      = mustPattern(`^\d{1,2}[.、．]\s*\D`)
	tableRE   = mustPattern(`^表\s*(\d+)\s*[:：]\s*(.+)$`)
	headerRE  = mustPattern(`^指标\s+单位\s+(.+)$`)
	columnRE  = mustPattern(`(?:比\s*)?(?:19|20)\d{2}\s*年(?:\s*(?:提高|增加|增长|目标))?`)
	listRE    = mustPattern(`[;；]\s*[二三四五六七八九十]+、`)
	boxRE     = mustPattern(`^专栏\s*(\d+)\s*(.*)$`)
	valueRE   = mustPattern(`^[<>≥≤]?\d+(?:\.\d+)?%?$`)
	furniture = []*pattern{
		mustPattern(`^您当前所在位置`),
		mustPattern(`^首页\s*[>＞]`),
		mustPattern(`^(访问量|浏览次数|发布时间|字号|打印|关闭|分享到)`),
		copyrightRE,
		mustPattern(`^(编辑|责编|责任编辑|审核|校对|来源)\s*[:：]`),
		mustPattern(`^[(（][^)）]*记者[^)）]*[)）]$`),
		mustPattern(`^[(（]此件[^)）]*[)）]$`),
		mustPattern(`^[-—\s]*\d{1,3}[-—\s]*$`),
	}
)

// copyrightRE is the one furniture pattern that is not anchored.
var copyrightRE = mustPattern(`版权|未经.*授权|转载`)

const headingMaxRunes = 30

func isFurniture(line string) bool {
	// Only the copyright pattern is unanchored and scans the whole line:
	// look for its literals first (each of its branches needs one).
	copyright := strings.Contains(line, "版权") || strings.Contains(line, "转载") || strings.Contains(line, "授权")
	for _, re := range furniture {
		if re == copyrightRE && !copyright {
			continue
		}
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// splitter turns one document into chunks. It walks the lines once, keeping
// the heading path, the open paragraph and the chunk being filled.
type splitter struct {
	doc      Document
	tok      TokenCounter
	chunks   []Chunk
	headings [5]string // levels 1-4; [0] is the part label when numbering restarts
	written  [5]string // the same as the document writes them, where that differs
	year     int       // context year of the current part
	period   string    // plan period named by the title
	lastL1   int

	folded []string // the document's lines, folded
	title  string   // the document's title, normalised

	paras       []string // original text of the paragraphs of the open chunk
	parasFolded []string // the same, folded
	parasTok    int      // their tokens
	// The lines of the open paragraph, original and folded, joined when it
	// closes: most paragraphs are one line, which is then used as it is.
	paraLines  []string
	paraFolded []string
	paraLen    int // bytes in paraLines
	paraOpen   bool
	lastPara   string // normalised text of the last closed paragraph
}

// Split cuts a document into chunks (DESIGN §2.3): lines re-joined into
// paragraphs (a line break inside a sentence is not a boundary), page
// furniture dropped, headings tracked into each chunk's section, flattened
// tables turned into one statement per data row, 专栏 boxes kept whole.
func Split(doc Document, tok TokenCounter) []Chunk {
	s := &splitter{doc: doc, tok: tok, year: publishedYear(doc.Published), title: zh.Normalize(doc.Title)}
	for _, p := range periods {
		if strings.Contains(s.title, p.name) {
			// A plan speaks of its period, not of the year it was
			// published: its undated sentences get no year.
			s.period, s.year = p.name, 0
		}
	}
	text := strings.ReplaceAll(doc.Text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	// Folding (traditional→simplified above all) is the costly step: do it
	// once for the whole document. It keeps line breaks, so folded[i] is
	// lines[i] folded.
	s.folded = strings.Split(zh.Fold(text), "\n")
	if len(s.folded) != len(lines) {
		s.folded = make([]string, len(lines))
		for i, l := range lines {
			s.folded[i] = zh.Fold(l)
		}
	}
	for i := 0; i < len(lines); i++ {
		raw := strings.TrimSpace(lines[i])
		line := strings.TrimSpace(s.folded[i])
		if line == "" || isFurniture(line) {
			continue
		}
		if m := tableRE.FindStringSubmatch(line); m != nil {
			s.flushChunk()
			i = s.table("表"+m[1], zh.Squeeze(m[2]), i+1)
			continue
		}
		if m := boxRE.FindStringSubmatch(line); m != nil && utf8.RuneCountInString(line) <= headingMaxRunes {
			s.flushChunk()
			s.setHeading(4, zh.Squeeze(line), raw)
			continue
		}
		norm := zh.Squeeze(line)
		if s.heading(line, raw, norm) {
			continue
		}
		s.addLine(raw, line, norm)
	}
	s.flushChunk()
	return s.chunks
}

// unitTime is a year or a plan period; the zero value is no time.
type unitTime struct {
	year   int
	period string
}

func (t unitTime) set() bool { return t.year != 0 || t.period != "" }

// leadingTime is the time a sentence opens with: a year or plan period in
// its first clause, when that clause is short ("“十三五”期间", "到2027年",
// "截至2023年8月"). Document titles in 《》 do not count.
func leadingTime(u string) unitTime {
	first := zh.StripTitles(u)
	if i := indexComma(first); i >= 0 {
		first = first[:i]
	}
	if !runesAtMost(first, 14) {
		// A long first clause leads with a time only when it opens with one:
		// "2020年一般公共预算教育经费133.34亿元".
		first = firstRunes(first, 6)
	}
	if p := periodIn(first); p != "" {
		return unitTime{period: p}
	}
	if ys := zh.Years(first); len(ys) > 0 {
		return unitTime{year: ys[0]}
	}
	return unitTime{}
}

// indexComma is strings.IndexAny(s, ",，"), without a look-up per rune.
func indexComma(s string) int {
	i, j := strings.IndexByte(s, ','), strings.Index(s, "，")
	if i < 0 || (j >= 0 && j < i) {
		return j
	}
	return i
}

// runesAtMost reports whether s has at most n runes (as
// utf8.RuneCountInString counts them), counting only when its length in
// bytes cannot tell.
func runesAtMost(s string, n int) bool {
	switch {
	case len(s) <= n:
		return true
	case len(s) > n*utf8.UTFMax:
		return false
	}
	return utf8.RuneCountInString(s) <= n
}

// periodIn returns the last plan period named in s.
func periodIn(s string) string {
	last, at := "", -1
	for _, p := range periods {
		if i := strings.LastIndex(s, p.name); i > at {
			last, at = p.name, i
		}
	}
	return last
}

func publishedYear(p string) int {
	if len(p) >= 4 {
		if y, err := strconv.Atoi(p[:4]); err == nil {
			return y
		}
	}
	return 0
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// heading recognises heading lines and lines that open with a numbered lead
// sentence ("1.党对教育事业领导进一步加强。制定…"): the lead becomes the
// heading and the line stays text. It reports whether the line was consumed;
// norm is the folded line squeezed (zh.Squeeze), as addLine takes it too.
func (s *splitter) heading(line, raw, norm string) bool {
	level := 0
	switch {
	case l1RE.MatchString(norm):
		level = 1
	case l2RE.MatchString(norm):
		level = 2
	case l3RE.MatchString(norm):
		level = 3
	}
	if strings.Contains(norm, "、") && (strings.IndexByte(norm, ';') >= 0 || strings.Contains(norm, "；")) && listRE.MatchString(norm) {
		level = 0 // an inline list "一、…；二、…" is a paragraph
	}
	short := runesAtMost(norm, headingMaxRunes) && !strings.ContainsAny(norm, "。！？；;")
	if level == 0 {
		// An unnumbered short line that does not end a sentence is a
		// heading (news features put their topics on such lines), unless it
		// continues an open sentence or is a run of figures.
		if norm == s.title {
			return true // the title line repeats the manifest's title
		}
		if short && !zh.EndsSentence(norm) && !strings.HasSuffix(norm, "：") && !strings.HasSuffix(norm, ":") &&
			!s.paraOpen && len(zh.Figures(norm)) == 0 {
			s.flushChunk()
			s.setHeading(4, norm, raw)
			return true
		}
		return false
	}
	if level == 1 {
		n := chineseNumber(l1RE.FindStringSubmatch(norm)[1])
		if n <= s.lastL1 && n == 1 {
			// Numbering restarts: a new part of the document (a work
			// summary followed by next year's plan). The part speaks of the
			// year its introduction names.
			s.flushChunk()
			if ys := zh.Years(s.lastPara); len(ys) > 0 {
				s.year = ys[0]
				s.headings[0] = fmt.Sprintf("%d年", ys[0])
			}
		}
		s.lastL1 = n
	}
	if short {
		s.flushChunk()
		s.setHeading(level, norm, raw)
		return true
	}
	// A numbered paragraph: its lead sentence is the heading.
	if lead := zh.Sentences(norm); len(lead) > 0 && utf8.RuneCountInString(lead[0]) <= headingMaxRunes+10 {
		s.flushChunk()
		h := strings.TrimRight(lead[0], "。；;：:")
		s.setHeading(level, h, raw)
	}
	s.closePara()
	s.addLine(raw, line, norm)
	return true
}

// setHeading sets the heading of a level, h folded and normalised; raw is
// the line it was read from as the document writes it ("" when none), from
// which the heading's own characters are kept where they differ from h.
func (s *splitter) setHeading(level int, h, raw string) {
	// A heading ends up in the sections of the chunks below it: its own
	// copy, not a slice pinning the folded document.
	s.headings[level] = strings.Clone(h)
	s.written[level] = ""
	if raw != "" && h != "" {
		if own, ok := zh.Original(raw, h); ok && own != h {
			s.written[level] = strings.Clone(own)
		}
	}
	for l := level + 1; l < len(s.headings); l++ {
		s.headings[l], s.written[l] = "", ""
	}
}

// sectionText is the heading path in the document's own characters, ""
// when it is the same as section's.
func (s *splitter) sectionText() string {
	differs := false
	var parts []string
	for i, h := range s.headings {
		switch {
		case s.written[i] != "":
			parts, differs = append(parts, s.written[i]), true
		case h != "":
			parts = append(parts, h)
		}
	}
	if !differs {
		return ""
	}
	return strings.Join(parts, " > ")
}

func (s *splitter) section() string {
	var parts []string
	for _, h := range s.headings {
		if h != "" {
			parts = append(parts, h)
		}
	}
	return strings.Join(parts, " > ")
}

// addLine appends a text line to the open paragraph, or opens one. A line
// joins the paragraph before it when that paragraph has not ended its
// sentence: PDF extraction breaks lines mid-sentence.
func (s *splitter) addLine(raw, folded, norm string) {
	if !s.paraOpen || s.paraLen == 0 {
		s.closePara()
		s.paraOpen = true
	}
	s.paraLines = append(s.paraLines, raw)
	s.paraFolded = append(s.paraFolded, folded)
	s.paraLen += len(raw)
	if zh.EndsSentence(norm) || strings.HasSuffix(norm, "：") || strings.HasSuffix(norm, ":") {
		s.closePara()
	}
}

func (s *splitter) closePara() {
	s.paraOpen = false
	if s.paraLen == 0 {
		return
	}
	p, pf := strings.Join(s.paraLines, ""), strings.Join(s.paraFolded, "")
	clear(s.paraLines)
	clear(s.paraFolded)
	s.paraLines, s.paraFolded, s.paraLen = s.paraLines[:0], s.paraFolded[:0], 0
	norm := zh.Squeeze(pf)
	if s.lastPara == "" && s.period == "" {
		// A document that opens with "2020年,…" speaks of that year.
		if ys := zh.Years(firstRunes(norm, 8)); len(ys) > 0 {
			s.year = ys[0]
		}
	}
	s.lastPara = norm
	n := s.tok.Count(p)
	if len(s.paras) > 0 && s.parasTok+n > targetChunkTokens {
		s.emitProse()
	}
	s.paras = append(s.paras, p)
	s.parasFolded = append(s.parasFolded, pf)
	s.parasTok += n
}

// flushChunk closes the open paragraph and emits the chunk being filled.
func (s *splitter) flushChunk() {
	s.closePara()
	s.emitProse()
}

// emitProse emits the open paragraphs as one chunk, or as several when one
// paragraph alone is over the limit (cut between sentences).
func (s *splitter) emitProse() {
	if len(s.paras) == 0 {
		return
	}
	paras, folded := s.paras, s.parasFolded
	s.paras, s.parasFolded, s.parasTok = nil, nil, 0
	// Cut into pieces of at most maxChunkTokens between sentences, the
	// original and the folded text in step (folding keeps 。！？；). Units
	// are made per paragraph before the cut, so that a sentence keeps the
	// time its paragraph named even in the next piece.
	type piece struct {
		raw, folded strings.Builder
		units       []Unit
	}
	// Most paragraphs make one piece: its buffers are sized for all of them.
	first := &piece{}
	rawLen, foldLen := 0, 0
	for i, p := range paras {
		rawLen, foldLen = rawLen+len(p)+1, foldLen+len(folded[i])+1
	}
	first.raw.Grow(rawLen)
	first.folded.Grow(foldLen)
	pieces := []*piece{first}
	curTok := 0
	for i, p := range paras {
		rawSents, foldSents := sentencesKeepSpace(p), sentencesKeepSpace(folded[i])
		if len(rawSents) != len(foldSents) {
			foldSents = make([]string, len(rawSents))
			for j, r := range rawSents {
				foldSents[j] = zh.Fold(r)
			}
		}
		// The time a unit speaks of: its own leading time ("“十三五”期间,…",
		// "到2027年,…", "2020年,…"), else its sentence's, else the last
		// time a sentence of the paragraph led with. A year in the middle of
		// a sentence is that sentence's alone.
		var paraTime, sentTime unitTime
		sentenceStart := true
		for j, sent := range rawSents {
			n := s.tok.Count(sent)
			cur := pieces[len(pieces)-1]
			if cur.raw.Len() > 0 && curTok+n > maxChunkTokens {
				cur = &piece{}
				pieces = append(pieces, cur)
				curTok = 0
			}
			cur.raw.WriteString(sent)
			cur.folded.WriteString(foldSents[j])
			curTok += n
			for _, fs := range zh.Sentences(foldSents[j]) {
				u := zh.Squeeze(fs)
				if u == "" {
					continue
				}
				lead := leadingTime(u)
				switch {
				case sentenceStart && lead.set():
					paraTime, sentTime = lead, lead
				case sentenceStart:
					sentTime = paraTime
				case lead.set():
					sentTime = lead
				}
				cur.units = append(cur.units, Unit{Text: u, Year: sentTime.year, Period: sentTime.period})
				sentenceStart = !strings.HasSuffix(strings.TrimRight(u, "”’」』）)》】"), "；") &&
					!strings.HasSuffix(strings.TrimRight(u, "”’」』）)》】"), ";")
			}
		}
		pieces[len(pieces)-1].raw.WriteString("\n")
		pieces[len(pieces)-1].folded.WriteString("\n")
	}
	for _, pc := range pieces {
		text := strings.TrimSpace(pc.raw.String())
		if text == "" {
			continue
		}
		norm := zh.Squeeze(strings.TrimSpace(pc.folded.String()))
		if len(pieces) > 1 {
			// The chunk keeps its text for as long as it is indexed: a copy
			// of its own size, not a buffer grown by doubling or sized for
			// every piece. A lone piece's buffers were sized for it.
			text, norm = strings.Clone(text), strings.Clone(norm)
		}
		s.emit(text, norm, pc.units)
	}
}

// sentencesKeepSpace splits original text at sentence ends without
// normalising it, so that display text stays as the document has it.
func sentencesKeepSpace(p string) []string {
	if !utf8.ValidString(p) {
		return sentencesKeepSpaceRunes(p)
	}
	var out []string
	start := 0
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		i += n
		if !zh.IsTerminator(r) {
			continue
		}
		for i < len(p) {
			r, n := utf8.DecodeRuneInString(p[i:])
			if !zh.IsCloser(r) {
				break
			}
			i += n
		}
		out = append(out, p[start:i])
		start = i
	}
	if start < len(p) {
		out = append(out, p[start:])
	}
	return out
}

// sentencesKeepSpaceRunes is sentencesKeepSpace for text that is not valid
// UTF-8, cut as runes (invalid bytes come out as U+FFFD).
func sentencesKeepSpaceRunes(p string) []string {
	var out []string
	start := 0
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		if strings.ContainsRune("。！？；!?;", rs[i]) {
			j := i + 1
			for j < len(rs) && strings.ContainsRune("”’」』）)》】", rs[j]) {
				j++
			}
			out = append(out, string(rs[start:j]))
			start = j
			i = j - 1
		}
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

func (s *splitter) emit(text, norm string, units []Unit) {
	// A unit's text is most often a run of the chunk's: share its bytes,
	// so that a chunk holds its normalised text once.
	from := 0 // units come in the order of norm: look after the last one first
	for i := range units {
		at := strings.Index(norm[from:], units[i].Text)
		if at >= 0 {
			at += from
		} else {
			at = strings.Index(norm, units[i].Text)
		}
		if at >= 0 {
			units[i].Text = norm[at : at+len(units[i].Text)]
			from = at + len(units[i].Text)
		} else {
			units[i].Text = strings.Clone(units[i].Text) // not a slice of a paragraph's text
		}
	}
	if cap(units) > len(units) {
		units = slices.Clone(units) // kept while indexed: no room for more
	}
	s.chunks = append(s.chunks, Chunk{
		ID:          fmt.Sprintf("%s#%d", s.doc.ID, len(s.chunks)),
		DocID:       s.doc.ID,
		Title:       s.doc.Title,
		City:        s.doc.City,
		Province:    s.doc.Province,
		Published:   s.doc.Published,
		URL:         s.doc.URL,
		Section:     s.section(),
		SectionText: s.sectionText(),
		Year:        s.year,
		Period:      s.period,
		Text:        text,
		Norm:        norm,
		Units:       units,
		Tokens:      s.tok.Count(text),
	})
}

// table parses a flattened table from lines[i:]: a header "指标 单位 <columns>",
// group rows (a lone label such as "九年义务教育") and data rows
// "<indicator> <unit> <value>…". Each data row becomes a statement that
// stands alone: "表2 <title> · <group> · <indicator>:2020年97.01%,2025年97.68%".
// It returns the index of the last line consumed.
func (s *splitter) table(label, title string, i int) int {
	lines := s.folded
	var columns []string
	group := ""
	var units []Unit
	last := i - 1
	for ; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" {
			continue
		}
		if columns == nil {
			m := headerRE.FindStringSubmatch(line)
			if m == nil {
				break
			}
			for _, c := range columnRE.FindAllString(m[1], -1) {
				columns = append(columns, strings.Join(strings.Fields(c), ""))
			}
			if len(columns) == 0 {
				break
			}
			last = i
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 1 && utf8.RuneCountInString(fields[0]) <= 12 && len(zh.Figures(fields[0])) == 0 &&
			!l1RE.MatchString(fields[0]) && !l2RE.MatchString(fields[0]) {
			group = fields[0]
			last = i
			continue
		}
		n := len(columns)
		if len(fields) < n+2 || !allValues(fields[len(fields)-n:]) {
			break
		}
		indicator := zh.Squeeze(strings.Join(fields[:len(fields)-n-1], ""))
		unit := fields[len(fields)-n-1]
		// A group row's category noun is often dropped before the
		// indicator ("高中阶段教育" + "毛入学率" is asked as 高中阶段毛入学率):
		// the key holds both readings.
		key := zh.Squeeze(group + indicator)
		if short := strings.TrimSuffix(group, "教育"); short != group && short != "" {
			key += " " + zh.Squeeze(short+indicator)
		}
		u := Unit{Key: strings.Clone(key)} // not a slice of the folded document
		head := label + " " + title
		if group != "" {
			head += " · " + group
		}
		head += " · " + indicator
		var vals []string
		for c, v := range fields[len(fields)-n:] {
			cell := Cell{Column: columns[c], Value: renderValue(v, unit, columns[c])}
			if ys := zh.Years(columns[c]); len(ys) == 1 && !isDifference(columns[c]) {
				cell.Year = ys[0]
			}
			u.Cells = append(u.Cells, cell)
			vals = append(vals, cell.Column+cell.Value)
		}
		u.Head = head
		u.Text = head + ":" + strings.Join(vals, ",")
		units = append(units, u)
		last = i
	}
	if len(units) == 0 {
		return last
	}
	s.setHeading(4, label+" "+title, "")
	// A table is cut between rows into chunks of at most maxChunkTokens:
	// every row's statement stands alone.
	var text []string
	var piece []Unit
	flush := func() {
		if len(piece) > 0 {
			joined := strings.Join(text, "\n")
			s.emit(joined, joined, piece)
		}
		text, piece = nil, nil
	}
	pieceTok := 0
	for _, u := range units {
		n := s.tok.Count(u.Text)
		if len(piece) > 0 && pieceTok+n > maxChunkTokens {
			flush()
			pieceTok = 0
		}
		text, piece = append(text, u.Text), append(piece, u)
		pieceTok += n
	}
	flush()
	s.setHeading(4, "", "")
	return last
}

func allValues(fields []string) bool {
	for _, f := range fields {
		if !valueRE.MatchString(f) {
			return false
		}
	}
	return true
}

func isDifference(column string) bool {
	return strings.HasPrefix(column, "比") || strings.Contains(column, "提高") || strings.Contains(column, "增")
}

// renderValue writes a cell with its unit: "97.01" "%" → "97.01%"; a
// difference in a percentage row is in points ("1.01个百分点") unless the cell
// carries its own "%" (a growth rate); ">90" reads "超过90%".
func renderValue(v, unit, column string) string {
	prefix := ""
	switch {
	case strings.HasPrefix(v, ">") || strings.HasPrefix(v, "≥"):
		prefix, v = "超过", v[len(string([]rune(v)[0])):]
	case strings.HasPrefix(v, "<") || strings.HasPrefix(v, "≤"):
		prefix, v = "低于", v[len(string([]rune(v)[0])):]
	}
	switch {
	case strings.HasSuffix(v, "%"):
		return prefix + v
	case unit == "%" && isDifference(column):
		return prefix + v + "个百分点"
	}
	return prefix + v + unit
}

// chineseNumber reads 一…十九 as used in headings.
func chineseNumber(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range s {
		if r == '十' {
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
			continue
		}
		cur = digits[r]
	}
	return n + cur
}
