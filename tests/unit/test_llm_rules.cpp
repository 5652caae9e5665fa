// The LLM rules (llm-model-alias, llm-retired-model, llm-call-unbounded, llm-output-to-sink,
// agent-dangerous-tool) through the embedded rubric on in-memory workspaces, and the Python
// analyzer's data-flow fact they rely on (Argument::sources).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "analyzers/analyzer.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/facts_compactor.hpp"
#include "test_support.hpp"

using mlaudit::test::build_workspace;
using mlaudit::test::covered;
using Files = std::map<std::string, std::string>;
namespace rubric = mlaudit::rubric;

namespace {

const std::string kHeader =
    "from openai import OpenAI\n"
    "import anthropic\n"
    "import litellm\n"
    "from langchain_openai import ChatOpenAI\n"
    "from langchain_anthropic import ChatAnthropic\n"
    "client = OpenAI(timeout=10, max_retries=2)\n";

// The findings of `rule` for `code` appended to the imports above (an LLM workspace).
std::vector<rubric::Finding> findings(const std::string& code, const std::string& rule, std::string* text = nullptr) {
  Files files = {{"app.py", kHeader + code + "\n"}};
  if (text) *text = files["app.py"];
  return build_workspace(files).of("app.py", rule);
}

size_t count(const std::string& code, const std::string& rule) { return findings(code, rule).size(); }

// The sources of the first argument of the last call named `callee`.
std::vector<std::string> sources_of(const std::string& code, const std::string& callee) {
  auto facts = mlaudit::analyze_text("/ws/a.py", code);
  const mlaudit::facts::Call* last = nullptr;
  for (const auto& c : facts.python.calls)
    if (c.callee == callee) last = &c;
  REQUIRE(last != nullptr);
  REQUIRE(!last->args.empty());
  return last->args[0].sources;
}

bool has(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

TEST_CASE("python data flow: the calls whose results reach an argument within one scope") {
  SUBCASE("through assignments, attributes, subscripts and methods") {
    auto s = sources_of(
        "from openai import OpenAI\n"
        "def f(q):\n"
        "    r = OpenAI().chat.completions.create(model='m', messages=q)\n"
        "    code = r.choices[0].message.content.strip()\n"
        "    exec(code)\n",
        "exec");
    CHECK(has(s, "OpenAI().chat.completions.create"));
  }
  SUBCASE("through f-strings, +, % and .format; imports resolved") {
    for (std::string expr : {"f'SELECT {x}'", "'a' + x", "'%s' % x", "'{}'.format(x)"}) {
      CAPTURE(expr);
      auto s = sources_of("import litellm as L\ndef f():\n    x = L.completion('m', [])\n    run(" + expr + ")\n", "run");
      CHECK(has(s, "litellm.completion"));
    }
  }
  SUBCASE("at module level, across statements") {
    auto s = sources_of("r = llm.invoke('q')\ntext = r.content\nexec(text)\n", "exec");
    CHECK(has(s, "llm.invoke"));
  }
  SUBCASE("another function's variable, a later assignment, a reassignment and a parameter carry nothing") {
    CHECK(sources_of("def a():\n    r = llm.invoke('q')\ndef b(r):\n    exec(r)\n", "exec").empty());
    CHECK(sources_of("def a():\n    exec(r)\n    r = llm.invoke('q')\n", "exec").empty());
    CHECK(sources_of("def a():\n    r = llm.invoke('q')\n    r = 'print(1)'\n    exec(r)\n", "exec").empty());
    CHECK(sources_of("def a(code):\n    exec(code)\n", "exec").empty());
  }
  SUBCASE("numbers and shell-quoted strings carry no text") {
    CHECK_FALSE(has(sources_of("r = llm.invoke('q')\nrun('head -n ' + str(len(r)))\n", "run"), "llm.invoke"));
    CHECK_FALSE(has(sources_of("import shlex\nr = llm.invoke('q')\nrun('ls ' + shlex.quote(r))\n", "run"), "llm.invoke"));
    CHECK(has(sources_of("r = llm.invoke('q')\nrun('ls ' + str(r))\n", "run"), "llm.invoke"));
  }
  SUBCASE("a literal without interpolation reads nothing; an interpolation inside a concatenation does") {
    CHECK(sources_of("x = llm.invoke('q')\nrun('x', \"{x\" 'x}')\n", "run").empty());
    CHECK(has(sources_of("x = llm.invoke('q')\nrun('ls ' f'{x}')\n", "run"), "llm.invoke"));
  }
  SUBCASE("lambda bodies and keyword names are not reads") {
    auto s = sources_of("r = llm.invoke('q')\nexec(lambda: r)\n", "exec");
    CHECK_FALSE(has(s, "llm.invoke"));
  }
  SUBCASE("a hostile expression is bounded") {
    std::string sum = "x0";
    for (int i = 1; i < 5000; ++i) sum += " + f" + std::to_string(i) + "()";
    auto s = sources_of("exec(" + sum + ")\n", "exec");
    CHECK(s.size() <= 16);
  }
}

TEST_CASE("llm-model-alias: aliases reported at the model argument, snapshots and unknown models never") {
  for (const std::string& code : std::vector<std::string>{
           "client.chat.completions.create(model='gpt-4o', messages=[], max_tokens=5)",
           "client.responses.create(model='gpt-4.1-mini', input='x', max_output_tokens=5)",
           "MODEL = 'o3-mini'\nclient.chat.completions.create(model=MODEL, messages=[], max_tokens=5)",
           "anthropic.Anthropic(timeout=5, max_retries=1).messages.create(model='claude-3-7-sonnet-latest', max_tokens=5, messages=[])",
           "ChatAnthropic(model_name='claude-sonnet-4-5', timeout=5, max_retries=1)",
           "litellm.completion('gpt-4o-mini', [], timeout=5, max_tokens=5)",
       }) {
    CAPTURE(code);
    std::string text;
    auto found = findings(code, "llm-model-alias", &text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == rubric::Severity::Low);
    CHECK(found[0].checklist_id == "llm.model-pinning");
    std::string at = covered({{"app.py", text}}, "app.py", found[0]);
    CHECK((at.find("model") == 0 || at.find("'gpt-4o-mini'") == 0));  // the model argument
  }
  for (const std::string& code : std::vector<std::string>{
           "client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[], max_tokens=5)",
           "client.chat.completions.create(model='gpt-3.5-turbo-0125', messages=[], max_tokens=5)",
           "client.chat.completions.create(model='ft:gpt-4o-mini-2024-07-18:acme::abc123', messages=[], max_tokens=5)",
           "client.chat.completions.create(model='llama3.1:8b', messages=[], max_tokens=5)",
           "client.chat.completions.create(model='my-gpt4o-deployment', messages=[], max_tokens=5)",
           "client.chat.completions.create(model=os.environ['MODEL'], messages=[], max_tokens=5)",
           "anthropic.Anthropic(timeout=5, max_retries=1).messages.create(model='claude-3-5-haiku-20241022', max_tokens=5, messages=[])",
           "ChatOpenAI(model='gpt-4o-mini-2024-07-18', timeout=5, max_retries=1, max_tokens=5)",
           // Not an LLM call: a `model` keyword on something else.
           "registry.create(model='gpt-4o')",
           "twilio.messages.create(body='hi', to='+1555')",
           "def f(model='gpt-4o'):\n    pass",
       }) {
    CAPTURE(code);
    CHECK(count(code, "llm-model-alias") == 0);
    CHECK(count(code, "llm-retired-model") == 0);
  }
}

TEST_CASE("llm-retired-model: a retired id is High and replaces llm-model-alias") {
  for (const std::string& code : std::vector<std::string>{
           "client.completions.create(model='text-davinci-003', prompt='x', max_tokens=5)",
           "client.chat.completions.create(model='gpt-3.5-turbo-0613', messages=[], max_tokens=5)",
           "client.chat.completions.create(model='gpt-4-32k', messages=[], max_tokens=5)",
           "anthropic.Anthropic(timeout=5, max_retries=1).messages.create(model='claude-2.1', max_tokens=5, messages=[])",
           "ChatAnthropic(model='claude-3-5-sonnet-latest', timeout=5, max_retries=1)",
           "litellm.completion(model='claude-instant-1.2', messages=[], timeout=5, max_tokens=5)",
       }) {
    CAPTURE(code);
    auto found = findings(code, "llm-retired-model");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == rubric::Severity::High);
    CHECK(count(code, "llm-model-alias") == 0);
  }
}

TEST_CASE("llm-call-unbounded: missing limits named once per call, a client's limits cover its calls") {
  SUBCASE("reported, naming what is missing") {
    auto f = findings("client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[])", "llm-call-unbounded");
    REQUIRE(f.size() == 1);
    CHECK(f[0].message.find("no `max_tokens`") != std::string::npos);
    CHECK(f[0].message.find("timeout") == std::string::npos);  // the client has one

    f = findings("bare = OpenAI()\nbare.chat.completions.create(model='m', messages=[], max_tokens=5)", "llm-call-unbounded");
    REQUIRE(f.size() == 1);
    CHECK(f[0].message.find("no `timeout`, no `max_retries`") != std::string::npos);
    CHECK(f[0].message.find("max_tokens") == std::string::npos);

    f = findings("def g():\n    c = anthropic.Anthropic()\n    return c.messages.create(model='m', max_tokens=5, messages=[])",
                 "llm-call-unbounded");
    REQUIRE(f.size() == 1);  // Anthropic requires max_tokens: never missing there
    CHECK(f[0].message.find("max_tokens") == std::string::npos);

    CHECK(count("ChatOpenAI(model='m')", "llm-call-unbounded") == 1);
    CHECK(count("OpenAI(timeout=None, max_retries=2).chat.completions.create(model='m', messages=[], max_tokens=5)",
                "llm-call-unbounded") == 1);  // timeout=None waits forever
    CHECK(count("litellm.completion(model='m', messages=[])", "llm-call-unbounded") == 1);
  }
  SUBCASE("not reported: bounded, covered by the client, or unknowable") {
    for (const std::string& code : std::vector<std::string>{
             "client.chat.completions.create(model='m', messages=[], max_tokens=5)",
             "client.chat.completions.create(model='m', messages=[], max_completion_tokens=5)",
             "bare = OpenAI()\nbare.with_options(timeout=5, max_retries=1).chat.completions.create(model='m', messages=[], max_tokens=5)",
             "bare = OpenAI()\nbare.chat.completions.create(model='m', messages=[], max_tokens=5, timeout=5, max_retries=1)",
             "def h(c):\n    return c.chat.completions.create(model='m', messages=[], max_tokens=5)",  // a parameter
             "class A:\n    def h(self):\n        return self.client.messages.create(model='m', max_tokens=5, messages=[])",
             "kw = load()\nOpenAI(**kw).chat.completions.create(model='m', messages=[], max_tokens=5)",
             "ChatOpenAI(model='m', request_timeout=5, max_retries=1, max_tokens=5)",
             "ChatAnthropic(model='m', default_request_timeout=5, max_retries=1)",
             "stripe.Customer.create(email='a@b.c')",
             "twilio_client = Client()\ntwilio_client.messages.create(body='hi', to='+1555')",
         }) {
      CAPTURE(code);
      CHECK(count(code, "llm-call-unbounded") == 0);
    }
  }
}

TEST_CASE("llm-output-to-sink: model output into code, shell or SQL text within one scope") {
  for (const std::string& code : std::vector<std::string>{
           "def f(q):\n    r = client.chat.completions.create(model='m', messages=q, max_tokens=5)\n"
           "    exec(r.choices[0].message.content)",
           "def f(q):\n    code = client.responses.create(model='m', input=q, max_output_tokens=9).output_text\n    eval(code)",
           "import subprocess as sp\ndef f(llm):\n    out = llm.invoke('cmd').content\n    sp.run(out, shell=True)",
           "import os\nr = chain.invoke({'q': 1})\nos.system('echo ' + r)",
           "def f(cursor):\n    r = litellm.completion('m', [], timeout=5, max_tokens=5)\n"
           "    cursor.execute(f\"SELECT * FROM t WHERE name = '{r.choices[0].message.content}'\")",
           "def f(conn):\n    sql = agent_executor.run('q')\n    conn.cursor().execute('SELECT %s' % sql)",
       }) {
    CAPTURE(code);
    auto found = findings(code, "llm-output-to-sink");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == rubric::Severity::High);
    CHECK(found[0].checklist_id == "llm.output-handling");
  }
  for (const std::string& code : std::vector<std::string>{
           // Bound as a parameter, not part of the SQL text.
           "def f(cursor):\n    name = llm.invoke('q').content\n    cursor.execute('SELECT * FROM t WHERE n = ?', (name,))",
           // Another function's result; a parameter; the output replaced by a constant.
           "def a():\n    return llm.invoke('q')\ndef b(code):\n    exec(code)",
           "def f():\n    r = llm.invoke('q')\n    r = 'print(1)'\n    exec(r)",
           // Not an LLM: a web response, a user-defined run().
           "import requests, subprocess\ndef f():\n    cmd = requests.get('u').text\n    subprocess.run(cmd)",
           "def f():\n    out = runner.run('x')\n    exec(out)",
           // A scikit-learn model's predictions are not LLM output.
           "def f(cursor, model, X):\n    preds = model.predict(X)\n    cursor.execute(f'INSERT INTO p VALUES ({preds[0]})')",
           // The output reaches a harmless call, not a sink.
           "def f():\n    print(llm.invoke('q').content)",
           "def f():\n    text = llm.invoke('q').content\n    workflow.execute(text)",
       }) {
    CAPTURE(code);
    CHECK(count(code, "llm-output-to-sink") == 0);
  }
}

TEST_CASE("agent-dangerous-tool: code and shell tools, dangerous flags, followed one step") {
  const std::string imports =
      "from langchain_experimental.agents import create_pandas_dataframe_agent, create_csv_agent\n"
      "from langchain_experimental.tools import PythonREPLTool, PythonAstREPLTool\n"
      "from langchain_community.tools import ShellTool\n"
      "from langchain_community.agent_toolkits import RequestsToolkit\n"
      "from langchain.agents import load_tools\n";
  for (const std::string& code : std::vector<std::string>{
           "create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)",
           "FLAG = True\ncreate_csv_agent(llm, 'a.csv', allow_dangerous_code=FLAG)",
           "tools = [PythonREPLTool()]",
           "tool = PythonAstREPLTool(locals={'df': df})",
           "ShellTool()",
           "RequestsToolkit(requests_wrapper=w, allow_dangerous_requests=True)",
           "load_tools(['serpapi', 'terminal'], llm=llm)",
           "load_tools(tool_names=['python_repl'])",
       }) {
    CAPTURE(code);
    auto found = findings(imports + code, "agent-dangerous-tool");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == rubric::Severity::High);
  }
  for (const std::string& code : std::vector<std::string>{
           "create_pandas_dataframe_agent(llm, df, allow_dangerous_code=False)",
           "create_pandas_dataframe_agent(llm, df)",
           "create_csv_agent(llm, 'a.csv', allow_dangerous_code=settings.flag)",  // cannot be followed
           "load_tools(['serpapi', 'llm-math'], llm=llm)",
       }) {
    CAPTURE(code);
    CHECK(count(imports + code, "agent-dangerous-tool") == 0);
  }
  // The project's own class of that name, not imported from langchain.
  CHECK(count("class ShellTool:\n    pass\nShellTool()", "agent-dangerous-tool") == 0);
}

TEST_CASE("LLM rules stay quiet in a workspace that is not ML/LLM code") {
  // No LLM or ML library: `llm`/`chain` objects and `messages.create` are something else.
  Files files = {{"app.py",
                  "import subprocess\n"
                  "from twilio.rest import Client\n"
                  "client = Client()\n"
                  "client.messages.create(model='gpt-4o', body='hi')\n"
                  "r = chain.invoke('x')\n"
                  "subprocess.run(r, shell=True)\n"
                  "create_pandas_dataframe_agent(x, y, allow_dangerous_code=True)\n"}};
  auto ws = build_workspace(files);
  CHECK_FALSE(ws.conclusions().relevance.relevant);
  for (const char* rule : {"llm-model-alias", "llm-retired-model", "llm-call-unbounded", "llm-output-to-sink", "agent-dangerous-tool"})
    CHECK(ws.count(rule) == 0);
}

TEST_CASE("LLM findings are suppressed inline like every rule") {
  CHECK(count("client.chat.completions.create(model='gpt-4o', messages=[], max_tokens=5)  # mlaudit: ignore[llm-model-alias]",
              "llm-model-alias") == 0);
  CHECK(count("# mlaudit: ignore[llm-output-to-sink]\nexec(llm.invoke('q'))", "llm-output-to-sink") == 0);
  CHECK(count("exec(llm.invoke('q'))", "llm-output-to-sink") == 1);
}

TEST_CASE("compaction keeps what the LLM rules read: the client's binding and constructor, sinks with their sources") {
  const std::string text = kHeader +
                           "bare = OpenAI()\n"
                           "noise = compute()\n"
                           "def f(cursor):\n"
                           "    r = bare.chat.completions.create(model='gpt-4o', messages=[])\n"
                           "    q = r.choices[0].message.content\n"
                           "    print(len(q))\n"
                           "    cursor.execute(q)\n";
  auto full = mlaudit::analyze_text("/ws/app.py", text);
  auto compacted = full;
  auto items = rubric::load_audit_rubric(*mlaudit::test::the_rubric());
  rubric::FactsCompactor(*mlaudit::test::the_rubric(), items.get()).compact(compacted);
  std::vector<std::string> bindings;
  for (const auto& b : compacted.python.bindings) bindings.push_back(b.name);
  CHECK(has(bindings, "bare"));
  CHECK_FALSE(has(bindings, "noise"));
  CHECK(compacted.python.calls.size() < full.python.calls.size());  // print and len are dropped

  rubric::Conclusions conclusions;
  conclusions.relevance.relevant = true;
  auto rules_of = [&](const mlaudit::facts::FileFacts& f) {
    std::vector<std::pair<std::string, uint32_t>> out;
    for (const auto& finding : rubric::check_file(f, *mlaudit::test::the_rubric(), conclusions))
      out.emplace_back(finding.rule, finding.range.start_byte);
    return out;
  };
  auto expected = rules_of(full);
  CHECK(expected.size() == 3);  // the alias, the unbounded call (no timeout, retries, max_tokens), the sink
  CHECK(rules_of(compacted) == expected);
}
