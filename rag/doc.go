// Package rag is wenda's domain: it answers a citizen's question from public
// documents, extractively or with a model whose every claim it checks, and
// says so when the documents do not hold the answer.
//
// It owns the documents and their metadata (document.go, library.go,
// upload.go), splitting into chunks and table statements (split.go),
// the chunks' index (Index, over package rag/index, and its saved
// snapshot), question parsing (query.go, intent.go, places.go,
// followup.go, typo.go), the extractive answer (plan.go, answer.go,
// figures.go), llm mode (llm.go, prompt.go) and the claim check
// (figurecheck.go). It does not own HTTP, WeChat, configuration or logging:
// it returns errors (sentinels such as ErrEmptyQuestion, ErrUpstream) and
// leaves them to its callers. Ranking (embedders, chromem-go, BM25, fusion) is in
// rag/index, Chinese text handling in rag/zh, the OpenAI-compatible adapter
// in rag/openai, file formats in rag/ingest, PostgreSQL in rag/postgres. rag
// imports no SDK: a model is a Generator, declared here, and rag/openai
// implements it.
//
// # A question's path
//
// Each step is a file, visited once, in this order:
//
//  1. Handler: api/ask.go (POST /api/v1/ask) or api/openai.go
//     (POST /v1/chat/completions) decodes the request; the WeChat channel
//     (api/wechat) asks through the adapter in cmd/wenda/late.go, and
//     `wenda ask` and eval call the engine directly. All of them call
//     Engine.Ask or Engine.AskStream with their request.s context.
//  2. Engine (engine.go): the Request is validated, once (Request.Validate);
//     a follow-up is rewritten into a standalone question by rules
//     (Standalone, followup.go), or in llm mode by the model when the rules
//     cannot (llm.go, CondensePrompt in prompt.go). The answer cache
//     (cache.go) is keyed by the standalone question, which is parsed once
//     (parseQuery in query.go, with intent.go and the Gazetteer of
//     places.go, over zh.Normalize's text); the parsed query is handed on.
//  3. Plan (plan.go): the kind of answer the parsed question asks for is
//     chosen (greeting, comparison, several parts, each covered city, a
//     figure with a yes/no verdict or a change), and chunks are retrieved
//     within the question's place (Index.Search: vectors and BM25 fused by
//     reciprocal rank). A place the documents do not cover, or a question
//     they do not answer, gets the refusal, which offers labelled related
//     figures where the documents hold some.
//  4. Answer (answer.go, figures.go): the retrieved units become the
//     extractive answer, with numbered sources and labelled figures. In
//     extractive mode this is the answer. In llm mode (llm.go) the plan's
//     retrieval gives the model's sources (fitSources, within
//     MaxContextTokens), AnswerPrompt (prompt.go) frames them, and the
//     Generator (rag/openai) writes, streamed sentence by sentence.
//  5. Check (figurecheck.go): each sentence of the model's is released
//     only when its figures, with their place, period and kind, are facts of
//     its sources; what fails is dropped, and when nothing of the model's
//     can be used the extractive answer from step 4 takes its place
//     (Answer.Fallback says why).
//  6. Response: Events stream the sources and then the text as it is
//     released; the Answer goes back to the handler, which encodes it (JSON,
//     server-sent events, OpenAI chunks). Channels that show text only list
//     the sources the answer cites (SourceLines, Source.Label); the API's
//     sources are all those the answer was made from.
package rag
