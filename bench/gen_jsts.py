"""The JS/TS part of the audit benchmark's workspace: a small TypeScript service beside the Python
package (web/: an OpenAI client, a chat route, a React component; N/2500 sets, at least one), like
the few TypeScript files a real ML repository carries. Python 3 standard library only."""

CLIENT_TS = '''import OpenAI from "openai";

export const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000, maxRetries: 2 });
'''

APP_TSX = '''import React, { useState } from "react";

export function Chat(): JSX.Element {
  const [answer, setAnswer] = useState("");
  async function ask(question: string) {
    const res = await fetch("/api/chat", { method: "POST", body: JSON.stringify({ question }) });
    setAnswer((await res.json()).answer);
  }
  return <div className="chat" onClick={() => ask("status?")}>{answer}</div>;
}
'''


def route_ts(rng, words, k):
    """A chat route calling the client with an object literal of options."""
    topic = " ".join(rng.sample(words, 3))
    return f'''import {{ client }} from "./client";

const SYSTEM_PROMPT = `You answer questions about {topic}.`;

export async function handle_{k}(question: string): Promise<string> {{
  const completion = await client.chat.completions.create({{
    model: "{rng.choice(["gpt-4o-2024-08-06", "gpt-4o-mini", "gpt-4.1-2025-04-14"])}",
    max_tokens: {rng.choice([256, 512, 1024])},
    messages: [
      {{ role: "system", content: SYSTEM_PROMPT }},
      {{ role: "user", content: question }},
    ],
  }});
  return completion.choices[0].message.content ?? "";
}}
'''


def js_files(rng, files, words):
    """(workspace-relative path, text) of the TypeScript files for an N-file workspace."""
    out = []
    for k in range(max(1, files // 2500)):
        base = f"web/service_{k:02d}/src"
        out.append((f"{base}/client.ts", CLIENT_TS))
        out.append((f"{base}/chat_{k:02d}.ts", route_ts(rng, words, k)))
        out.append((f"{base}/Chat.tsx", APP_TSX))
    return out
