package rag

import (
	"github.com/mozillazg/go-pinyin"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// otherPlaces names the provinces and the larger cities of China. A question
// that names one of them and no place the corpus covers is about a place the
// documents do not speak for, and gets no answer rather than another city's
// figure. Places that the corpus covers are taken from its documents, so a
// document added for 上海 makes 上海 answerable.
var otherPlaces = strings.Fields(`
北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东
海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
石家庄 唐山 保定 邯郸 太原 大同 沈阳 大连 长春 吉林市 哈尔滨 大庆 南京 无锡 徐州 常州 苏州 南通 扬州
杭州 宁波 温州 绍兴 嘉兴 金华 台州 合肥 芜湖 蚌埠 福州 厦门 泉州 漳州 济南 青岛 烟台 潍坊 临沂
郑州 洛阳 开封 南阳 武汉 宜昌 襄阳 黄冈 长沙 株洲 湘潭 岳阳 衡阳 常德 广州 深圳 珠海 汕头 佛山
东莞 中山 惠州 湛江 南宁 柳州 桂林 海口 三亚 贵阳 遵义 昆明 大理 拉萨 西安 宝鸡 兰州 西宁 银川
乌鲁木齐 呼和浩特 包头
景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 南昌
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山
全国 全省`)

// regions are the provinces and the country: places that hold the cities
// the corpus covers rather than stand beside them.
var regions = strings.Fields(`北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东
海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 全国 全省`)

// isRegion reports whether a place is a province or the country.
func isRegion(name string) bool {
	return slices.Contains(regions, strings.TrimSuffix(name, "省")) && !slices.Contains([]string{"北京", "天津", "上海", "重庆"}, name)
}

// batchRE is a title's batch: "第二批", "首批".
var batchRE = mustPattern(`^(?:第[一二三四五六七八九十\d]+|首)批`)

// titleAfter reports whether what follows 全国 or 全省 makes it part of a
// title ("全国文明校园", "全省首批"): a name, not the country's or the
// province's figure ("全国平均", "全省的", "全省第一").
func titleAfter(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if batchRE.MatchString(rest) {
		return true // "全省第二批…特色学校"
	}
	return rest != "" && unicode.Is(unicode.Han, r) && !hasAnyPrefix(rest, "的", "平均", "水平", "范围", "层面", "排", "第", "各", "来看", "而言", "比", "相比", "和", "与", "跟", "同", "呢", "吗", "是")
}

// Place is a name found in a question.
type Place struct {
	Name  string // as written: "南昌", "南昌市", "江西"
	Scope Scope  // zero when the corpus does not cover the place
	start int
	end   int
}

// Gazetteer finds places in normalised questions.
type Gazetteer struct {
	names   []string         // longest first
	byFirst map[rune][]int   // indexes in names, ascending, by first character
	scope   map[string]Scope // names the corpus covers
	full    map[string]string
	latin   map[string]string // a covered city's name in pinyin or its initials ("nc", "nanchang"), lower case: the name
}

// NewGazetteer builds the place list from the documents' cities (full and
// short forms: 南昌市/南昌) and otherPlaces. Provinces scope nothing: the
// documents are cities' documents, and a question about 江西 as a whole asks
// for a province-wide figure that none of them holds.
func NewGazetteer(docs []Document) *Gazetteer {
	g := &Gazetteer{scope: map[string]Scope{}, full: map[string]string{}}
	add := func(name string, s Scope) {
		if name == "" {
			return
		}
		if _, ok := g.scope[name]; !ok {
			g.names = append(g.names, name)
		}
		g.scope[name] = s
	}
	g.latin = map[string]string{}
	for _, d := range docs {
		for _, name := range shortForms(d.City, "市") {
			add(name, Scope{Cities: []string{d.City}})
		}
		if short := strings.TrimSuffix(d.City, "市"); utf8.RuneCountInString(short) >= 2 {
			syllables := pinyin.LazyPinyin(short, pinyin.Args{Style: pinyin.Normal})
			if len(syllables) != utf8.RuneCountInString(short) {
				continue
			}
			var initials strings.Builder
			for _, sy := range syllables {
				initials.WriteByte(sy[0])
			}
			for _, w := range []string{initials.String(), strings.Join(syllables, "")} {
				if other, ok := g.latin[w]; ok && other != short {
					g.latin[w] = "" // two cities spelled alike: neither is meant
				} else {
					g.latin[w] = short
				}
			}
		}
	}
	for _, name := range otherPlaces {
		if _, ok := g.scope[name]; !ok {
			g.names = append(g.names, name)
			g.scope[name] = Scope{}
			for _, suffix := range []string{"市", "省"} {
				g.names = append(g.names, name+suffix)
				g.scope[name+suffix] = Scope{}
			}
		}
	}
	sort.SliceStable(g.names, func(a, b int) bool { return len(g.names[a]) > len(g.names[b]) })
	g.byFirst = map[rune][]int{}
	for i, name := range g.names {
		r, _ := utf8.DecodeRuneInString(name)
		g.byFirst[r] = append(g.byFirst[r], i)
	}
	return g
}

// SpellLatin writes a covered city named in pinyin or by its initials, a
// run of Latin letters of its own ("nc现在…", "jj高中", "Jiujiang"), as its
// Chinese name; other Latin words stay as they are.
func (g *Gazetteer) SpellLatin(s string) string {
	if len(g.latin) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isLatin(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isLatin(s[j]) {
			j++
		}
		if name := g.latin[strings.ToLower(s[i:j])]; name != "" {
			b.WriteString(s[last:i])
			b.WriteString(name)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isLatin(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func shortForms(name, suffix string) []string {
	if name == "" {
		return nil
	}
	out := []string{name}
	for _, s := range []string{suffix, "自治区", "自治州", "地区"} {
		if short := strings.TrimSuffix(name, s); short != name && len([]rune(short)) >= 2 {
			out = append(out, short)
		}
	}
	return out
}

// Find returns the places named in q, in order, without overlaps (the
// longest name wins).
func (g *Gazetteer) Find(q string) []Place {
	var out []Place
	taken := make([]bool, len(q))
	// Only a name whose first character q holds can be in it: those are
	// looked for, in the order of names, not the few hundred others.
	var held []int
	for _, r := range q {
		held = append(held, g.byFirst[r]...)
	}
	slices.Sort(held)
	for _, i := range slices.Compact(held) {
		name := g.names[i]
		from := 0
		for {
			i := strings.Index(q[from:], name)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(name)
			// A city's full name before 级 ("X市级…"): 市 belongs to 市级, the place is X.
			free := !(strings.HasPrefix(q[end:], "级") && strings.ContainsAny(name[len(name)-3:], "市省县"))
			for j := start; j < end; j++ {
				if taken[j] {
					free = false
					break
				}
			}
			if free {
				for j := start; j < end; j++ {
					taken[j] = true
				}
				out = append(out, Place{Name: name, Scope: g.scope[name], start: start, end: end})
			}
			from = end
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}
