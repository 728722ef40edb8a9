package wechat

// maxIDBytes bounds the ids a message carries. An OpenID is 28 characters and an account's
// original ID (gh_…) 15; ids are keys of the flight and history tables and go back out in
// replies, so one of 45 KB would hold 45 KB of memory per message for minutes.
const maxIDBytes = 64

// validID reports whether s looks like a WeChat id: 1 to maxIDBytes letters, digits, '_' or
// '-'. Anything else is not from WeChat.
func validID(s string) bool {
	if len(s) == 0 || len(s) > maxIDBytes {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validNonce reports whether a callback's nonce is short and plain; WeChat's are digits.
func validNonce(s string) bool {
	return validID(s)
}
