"""LLM application modules for the audit workspace: a client module, a text-to-SQL helper and
a prompt file per 2,500 files — what a model-serving repository with an assistant feature holds.
They exercise the LLM rules (a model alias, a missing max_tokens, output into SQL) and the
data-flow fact on realistic code; everything else in them is clean."""

CLIENT = '''"""The assistant's LLM client."""
from openai import OpenAI

MODEL = "{model}"
client = OpenAI(timeout=30, max_retries=2)


def complete(prompt: str, max_tokens: int = 400) -> str:
    response = client.chat.completions.create(model=MODEL, max_tokens=max_tokens,
                                              messages=[{{"role": "user", "content": prompt}}])
    return response.choices[0].message.content


def summarize(text: str) -> str:
    return client.chat.completions.create(model=MODEL, messages=[{{"role": "user", "content": text}}])
'''

SQL = '''"""Answers questions about runs from the metrics database."""
import sqlite3

from {package}.assistant.client_{k:02d} import client, MODEL


def ask(question: str):
    conn = sqlite3.connect("metrics.db")
    cursor = conn.cursor()
    reply = client.chat.completions.create(model=MODEL, max_tokens=300,
                                           messages=[{{"role": "user", "content": question}}])
    query = reply.choices[0].message.content.strip()
    cursor.execute(query)
    rows = cursor.fetchall()
    cursor.execute("INSERT INTO questions (text) VALUES (?)", (question,))
    return rows
'''

PROMPT = "You answer questions about training runs. Use only the metrics table.\n"


def llm_files(rng, package, files):
    """(relative path, text) pairs: max(1, files // 2500) sets of three."""
    out = []
    for k in range(max(1, files // 2500)):
        model = rng.choice(["gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18"])
        out.append((f"{package}/assistant/client_{k:02d}.py", CLIENT.format(model=model)))
        out.append((f"{package}/assistant/sql_{k:02d}.py", SQL.format(package=package, k=k)))
        out.append((f"prompts/assistant_{k:02d}.prompt", PROMPT))
    return out
