// Drives a running wenda with the official OpenAI SDK for Node: a plain and a
// streaming chat completion and the model list. Prints one JSON line with
// what it got; exits 1 when the SDK fails. Usage: node openai-client.mjs <base URL ending in /v1>
import OpenAI from "openai";

const baseURL = process.argv[2];
const client = new OpenAI({ baseURL, apiKey: "not-needed", maxRetries: 0, timeout: 20000 });
const messages = [{ role: "user", content: "南昌义务教育巩固率是多少" }];

try {
  const models = await client.models.list();
  const plain = await client.chat.completions.create({ model: "wenda", messages });
  const stream = await client.chat.completions.create({
    model: "wenda", messages, stream: true, stream_options: { include_usage: true },
  });
  let streamed = "";
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.choices.length > 0) streamed += chunk.choices[0].delta.content ?? "";
    if (chunk.usage) usage = chunk.usage;
  }
  console.log(JSON.stringify({
    models: models.data.map((m) => m.id),
    plain: plain.choices[0].message.content,
    plain_usage: plain.usage,
    streamed, stream_usage: usage, chunks,
  }));
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
