package zh

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"義務教育鞏固率達到", "义务教育巩固率达到"},
		{"巩固率９７．０１％", "巩固率97.01%"},
		{"率提升至 88.1%。義務教育基本均衡", "率提升至88.1%。义务教育基本均衡"},
		{"新增学位约 25.7 万个", "新增学位约25.7万个"},
		{"巩固率分别达 100%和 97.01 %", "巩固率分别达100%和97.01%"},
		{"已经 2022 年市政府第 7 次常务会审议", "已经2022年市政府第7次常务会审议"},
		{"巩固率 % 97.01 97.68", "巩固率 % 97.01 97.68"}, // table cells stay apart
		{"干部、后来、余额、着力、著名", "干部、后来、余额、着力、著名"},
		{"  ＰＭ２．５  ", "PM2.5"},
		{"滿意 度", "满意度"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNormalizeSeedLines checks real lines of the traditional seed and the
// PDF-extracted plan against golden output.
func TestNormalizeSeedLines(t *testing.T) {
	var got strings.Builder
	for _, name := range []string{"000_de0edb150809f664.txt", "003_71d3ce43f7515ae5.txt"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.TrimSpace(line) == "" || n >= 40 {
				continue
			}
			n++
			got.WriteString(Normalize(line) + "\n")
		}
	}
	golden(t, "normalize_seeds.golden", got.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestSentences(t *testing.T) {
	got := Sentences("巩固率达到97.01%。“双减”落实到位!学位增加;“十四五”期间……完成\n下一行")
	want := []string{"巩固率达到97.01%。", "“双减”落实到位!", "学位增加;", "“十四五”期间……", "完成", "下一行"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sentences mismatch (-want +got):\n%s", diff)
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"2020年全市义务教育巩固率达97.01%,比上年提高0.2个百分点", []string{"97.01%", "0.2个百分点"}},
		{"新增学位约25.7万个,总投资121亿元,建成128所", []string{"25.7万个", "121亿元", "128所"}},
		{"12月12日,第7次会议;“十四五”期间", nil},
		{"1.党建引领", nil},
		{"累计1,244万人次,征集270余条", []string{"1,244万人次", "270余条"}},
		{"PM2.5浓度下降", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Figures(tt.in) {
			got = append(got, f.Text)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Figures(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestYears(t *testing.T) {
	got := Years("到2025年,(2023-2025年)比2015 年提高,2000人")
	want := []int{2025, 2023, 2015}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Years mismatch (-want +got):\n%s", diff)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"義務教育鞏固率 97.01 %", "９７．０１％", "巩固率 % 97.01 97.68", "\u3000\t\n", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize is not idempotent on %q: %q then %q", s, n, Normalize(n))
		}
		Sentences(n)
		for _, fig := range Figures(n) {
			if n[fig.Start:fig.End] != fig.Text {
				t.Errorf("figure %q at [%d:%d] but text there is %q", fig.Text, fig.Start, fig.End, n[fig.Start:fig.End])
			}
		}
	})
}

func TestOriginal(t *testing.T) {
	tests := []struct{ original, norm, want string }{
		{"全市學前教育毛入園率達98.83%、普惠", "全市学前教育毛入园率达98.83%", "全市學前教育毛入園率達98.83%"},
		{"巩固率达到\n97.01 %,其他", "巩固率达到97.01%", "巩固率达到97.01%"},
		{"投入２５．７万元。", "投入25.7万元", "投入２５．７万元"},
	}
	for _, tt := range tests {
		got, ok := Original(tt.original, tt.norm)
		if !ok || got != tt.want {
			t.Errorf("Original(%q, %q) = %q, %v; want %q", tt.original, tt.norm, got, ok, tt.want)
		}
	}
	if _, ok := Original("南昌市", "九江市"); ok {
		t.Error("Original found a passage that is not there")
	}
}

// IsHan's shortcuts agree with the Unicode table on every rune.
func TestIsHanIsTheTable(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := IsHan(r), unicode.Is(unicode.Han, r); got != want {
			t.Fatalf("IsHan(%U) = %v, want %v", r, got, want)
		}
	}
}
