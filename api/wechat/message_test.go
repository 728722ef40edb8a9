package wechat

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMessage(t *testing.T) {
	got, err := parseMessage([]byte(sampleMessage))
	if err != nil {
		t.Fatal(err)
	}
	want := message{XMLName: xml.Name{Local: "xml"}, ToUserName: "gh_10f6c3c3ac5a", FromUserName: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
		CreateTime: 1409735668, MsgType: "text", Content: "abcdteT", MsgID: 6054768590064713728}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parseMessage(official sample) = got, want want (-want +got):\n%s", diff)
	}
}

// FuzzParseMessage feeds arbitrary bodies to the parser: no panic, and a message that parses
// gets a reply that parses back to the same text with the user names swapped.
func FuzzParseMessage(f *testing.F) {
	f.Add([]byte(sampleMessage))
	f.Add([]byte(textMessage("oCitizen", 1, "南昌义务教育巩固率是多少?")))
	f.Add([]byte("<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>"))
	f.Add([]byte("<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content><CreateTime>x</CreateTime></xml>"))
	f.Add([]byte("<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"))
	f.Add([]byte("<xml><Content>\r\n\x01</Content"))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := parseMessage(body)
		if err != nil {
			return
		}
		_ = m.key()
		b, err := marshalText(m, m.Content, 1700000000)
		if err != nil {
			t.Fatalf("marshalText(%+v): %v", m, err)
		}
		back, err := parseMessage(b)
		if err != nil {
			t.Fatalf("parseMessage(marshalText(...)) = %v for %s", err, b)
		}
		want := message{XMLName: xml.Name{Local: "xml"}, ToUserName: m.FromUserName, FromUserName: m.ToUserName,
			CreateTime: 1700000000, MsgType: "text", Content: xmlSafe(m.Content)}
		if diff := cmp.Diff(want, back); diff != "" {
			t.Errorf("reply round trip = got, want want (-want +got):\n%s", diff)
		}
	})
}
