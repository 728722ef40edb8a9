// Package wechat is wenda's WeChat Official Account (公众号) channel. It owns the callback
// protocol of GET and POST /wechat/mp: signature checks, AES message encryption, the XML
// messages, the 5-second passive-reply rule with WeChat's retries, and delivery of long answers
// through the customer-service (客服消息) API. It also keeps the short per-user history that
// follow-up questions need, and turns answers into WeChat's plain text. It does not answer
// questions: a Handler asks the Answerer it is given (in practice package rag, adapted in cmd),
// and it holds no retrieval logic.
//
// Handler is a plain net/http handler, so the package does not depend on gin; package api
// mounts it with gin.WrapH on GET and POST /wechat/mp. Its state (answers in flight for
// WeChat's retries, conversations) is in memory, so the channel runs on one instance: a retry
// that reached another replica would start a second answer.
//
// The protocol is implemented here on the standard library rather than with an SDK such as
// github.com/silenceper/wechat/v2, which was tried for this project (reference/wechat.md §3).
// That SDK keeps package-global state (its API base URL hook and HTTP client are globals, so
// tests with different fakes cannot run in parallel), links go-redis v8, gomemcache and logrus
// into the binary even when only the in-memory cache is used, and its root package switches
// logrus to debug level and logs the raw request XML, that is the citizen's message in clear
// (silenceper/wechat#578, #819). What wenda needs is small: two signature functions,
// AES-256-CBC, three XML shapes, one customer-service call and its access token, with the API
// base URL as a per-Handler setting.
package wechat
