package wechat

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// message is a message or event WeChat posts to the callback URL, in plaintext; in safe mode
// only ToUserName and Encrypt are set, and the message is inside Encrypt. Compatible mode
// (兼容模式) sets both.
type message struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   // the account's original ID (gh_…)
	FromUserName string   // the citizen's OpenID
	CreateTime   int64    // Unix seconds
	MsgType      string   // text, image, voice, video, shortvideo, location, link, event, …
	Content      string   // text messages
	MsgID        int64    `xml:"MsgId"` // all messages but events
	Event        string   // events: subscribe, unsubscribe, SCAN, CLICK, …
	Encrypt      string   // safe and compatible modes
}

// parseMessage reads one callback body.
func parseMessage(b []byte) (message, error) {
	var m message
	if err := xml.Unmarshal(b, &m); err != nil {
		return message{}, fmt.Errorf("parse message: %w", err)
	}
	return m, nil
}

// key identifies a message across WeChat's retries: the MsgId, which WeChat recommends for
// messages, or sender and creation time for events, which have none.
func (m message) key() string {
	if m.MsgID != 0 {
		return m.FromUserName + "|" + strconv.FormatInt(m.MsgID, 10)
	}
	return m.FromUserName + "|t" + strconv.FormatInt(m.CreateTime, 10)
}

// cdata is character data written in CDATA sections. encoding/xml splits a "]]>" inside it
// across two sections, so an answer that contains one cannot end the section early.
type cdata struct {
	Text string `xml:",cdata"`
}

// textReply is a passive text reply. ToUserName and FromUserName are the request's, swapped.
type textReply struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64 // Unix seconds as an integer; WeChat rejects other forms
	MsgType      cdata
	Content      cdata
}

// encryptedReply is a passive reply in safe mode: the textReply encrypted and signed.
type encryptedReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata
	MsgSignature cdata
	TimeStamp    string
	Nonce        cdata
}

// marshalText returns the passive reply to m that carries content.
func marshalText(m message, content string, now int64) ([]byte, error) {
	return xml.Marshal(textReply{
		ToUserName:   cdata{m.FromUserName},
		FromUserName: cdata{m.ToUserName},
		CreateTime:   now,
		MsgType:      cdata{"text"},
		Content:      cdata{xmlSafe(content)},
	})
}

// xmlSafe drops what cannot appear in an XML document even inside CDATA: invalid UTF-8 and
// the control characters other than tab and line feed. Carriage returns go too, since an XML
// reader turns them into line feeds anyway.
func xmlSafe(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, 0xD800 <= r && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
}
