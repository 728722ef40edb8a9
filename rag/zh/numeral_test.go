package zh

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNumeral(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		num  string
		ok   bool
	}{
		{"一千二百三十一", 1231, "1231", true},
		{"九十七点零一", 97.01, "97.01", true},
		{"十五", 15, "15", true},
		{"十", 10, "10", true},
		{"两", 2, "2", true},
		{"一百零五", 105, "105", true},
		{"三百五", 350, "350", true},
		{"一万二千", 12000, "12000", true},
		{"一万二", 12000, "12000", true},
		{"两万五千", 25000, "25000", true},
		{"三千万", 3e7, "30000000", true},
		{"一亿二千万", 1.2e8, "120000000", true},
		{"零点六七", 0.67, "0.67", true},
		{"二〇二五", 2025, "2025", true},
		{"", 0, "", false},
		{"点", 0, "", false},
		{"九十七点", 0, "", false},
		{"十三五", 0, "", false},
		{"万", 0, "", false},
	}
	for _, tt := range tests {
		got, num, ok := Numeral(tt.in)
		if ok != tt.ok || (ok && (got != tt.want || num != tt.num)) {
			t.Errorf("Numeral(%q) = %v, %q, %v, want %v, %q, %v", tt.in, got, num, ok, tt.want, tt.num, tt.ok)
		}
	}
}

type claimFig struct {
	Text  string
	Num   string
	Unit  string
	Value float64
}

func TestClaimFigures(t *testing.T) {
	tests := []struct {
		in   string
		want []claimFig
	}{
		{"巩固率为97.01%", []claimFig{{"97.01%", "97.01", "%", 97.01}}},
		{"巩固率为百分之97.01", []claimFig{{"百分之97.01", "97.01", "%", 97.01}}},
		{"巩固率为百分之九十七点零一", []claimFig{{"百分之九十七点零一", "97.01", "%", 97.01}}},
		{"巩固率达到九成五", []claimFig{{"九成五", "95", "%", 95}}},
		{"约八成学生", []claimFig{{"八成", "80", "%", 80}}},
		{"约3成", []claimFig{{"3成", "30", "%", 30}}},
		{"增长了两倍", []claimFig{{"两倍", "2", "倍", 2}}},
		{"共有一千五百人", []claimFig{{"一千五百人", "1500", "人", 1500}}},
		{"共有1,500人", []claimFig{{"1,500人", "1500", "人", 1500}}},
		{"高零点六七个百分点", []claimFig{{"零点六七个百分点", "0.67", "个百分点", 0.67}}},
		{"提高两个百分点", []claimFig{{"两个百分点", "2", "个百分点", 2}}},
		{"投入一千二百万元", []claimFig{{"一千二百万元", "12000000", "元", 1.2e7}}},
		{"投入1.2亿元", []claimFig{{"1.2亿元", "1.2", "亿元", 1.2}}},
		{"减少了1人", []claimFig{{"1人", "1", "人", 1}}},
		// Words and names, not figures.
		{"“十四五”时期", nil},
		{"二〇二〇年南昌市", nil},
		{"一是加强建设，进一步统一标准", nil},
		{"建设一个重要平台，两项工作，之一", nil},
		{"第三名", nil},
		{"千家万户，百姓", nil},
	}
	for _, tt := range tests {
		var got []claimFig
		for _, f := range ClaimFigures(tt.in) {
			got = append(got, claimFig{f.Text, f.Num, f.Unit, f.Value})
			if tt.in[f.Start:f.End] != f.Text {
				t.Errorf("ClaimFigures(%q): offsets %d-%d give %q, not %q", tt.in, f.Start, f.End, tt.in[f.Start:f.End], f.Text)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ClaimFigures(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestNumeralYears(t *testing.T) {
	got := NumeralYears("二〇二〇年南昌市，二〇二五年目标，两千人，两千零一十五年，一千九百九十九年，两千年")
	want := "2020年南昌市，2025年目标，两千人，2015年，1999年，2000年"
	if got != want {
		t.Errorf("NumeralYears = %q, want %q", got, want)
	}
}

func FuzzClaimFigures(f *testing.F) {
	for _, s := range []string{"百分之九十七点零一", "九成五", "一万二千人", "百分之", "点点", "十三五", "2020年97.01%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fg := range ClaimFigures(s) {
			if fg.Start < 0 || fg.End > len(s) || fg.Start >= fg.End || s[fg.Start:fg.End] != fg.Text {
				t.Fatalf("ClaimFigures(%q): bad span %d-%d for %q", s, fg.Start, fg.End, fg.Text)
			}
		}
	})
}
