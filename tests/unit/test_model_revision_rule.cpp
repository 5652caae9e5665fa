// unpinned-model-revision: Hugging Face Hub downloads of a literal Hub id without a commit-hash
// revision, through the embedded rubric (rules.yaml) on in-memory workspaces.
#include <doctest/doctest.h>

#include <string>

#include "test_support.hpp"

using mlaudit::test::build_workspace;
using mlaudit::test::covered;
using Files = std::map<std::string, std::string>;

namespace {

const std::string kSha = "86b5e0934494bd15c9632b12f734a8a67f723594";

size_t findings_for(const std::string& code) {
  std::string source =
      "import transformers\n"
      "from transformers import AutoModel, AutoTokenizer, BertModel\n"
      "from diffusers import StableDiffusionPipeline\n"
      "from sentence_transformers import SentenceTransformer\n"
      "from huggingface_hub import hf_hub_download, snapshot_download\n" +
      code + "\n";
  Files files = {{"load.py", source}};
  auto ws = build_workspace(files);
  auto found = ws.of("load.py", "unpinned-model-revision");
  for (const auto& f : found) {
    CHECK(f.checklist_id == "security.supply-chain");
    CHECK(f.severity == mlaudit::rubric::Severity::Medium);
  }
  return found.size();
}

}  // namespace

TEST_CASE("unpinned-model-revision: Hub ids without a commit-hash revision are reported") {
  for (const std::string& code : std::vector<std::string>{
           "AutoModel.from_pretrained('bert-base-uncased')",
           "AutoTokenizer.from_pretrained(\"meta-llama/Llama-3.1-8B\")",
           "BertModel.from_pretrained(pretrained_model_name_or_path='google-bert/bert-base-cased')",
           "transformers.AutoModelForCausalLM.from_pretrained('gpt2')",
           "StableDiffusionPipeline.from_pretrained('stabilityai/stable-diffusion-2-1')",
           "SentenceTransformer('all-MiniLM-L6-v2')",
           "hf_hub_download('org/model', filename='model.safetensors')",
           "hf_hub_download(repo_id='org/model', filename='config.json')",
           "snapshot_download('org/model')",
           // A branch or a tag is not a pin: both can be moved.
           "AutoModel.from_pretrained('org/m', revision='main')",
           "AutoModel.from_pretrained('org/m', revision='v1.0')",
           "AutoModel.from_pretrained('org/m', revision=None)",
           "AutoModel.from_pretrained('org/m', revision='" + kSha.substr(0, 7) + "')",  // a short sha
           // Followed one step: the repo id in a variable, revision through a dict literal.
           "name = 'org/m'\nAutoModel.from_pretrained(name)",
           "kw = {'revision': 'main'}\nAutoModel.from_pretrained('org/m', **kw)",
       }) {
    CAPTURE(code);
    CHECK(findings_for(code) == 1);
  }
}

TEST_CASE("unpinned-model-revision: pinned, local, unknown and foreign calls are not reported") {
  for (const std::string& code : std::vector<std::string>{
           "AutoModel.from_pretrained('org/m', revision='" + kSha + "')",
           "REV = '" + kSha + "'\nAutoModel.from_pretrained('org/m', revision=REV)",
           "kw = dict(revision='" + kSha + "')\nAutoModel.from_pretrained('org/m', **kw)",
           "hf_hub_download('org/m', 'f.bin', revision='" + kSha + "')",
           "snapshot_download(repo_id='org/m', revision='" + kSha + "')",
           // Local paths.
           "AutoModel.from_pretrained('./checkpoints/best')",
           "AutoModel.from_pretrained('/models/bert')",
           "AutoModel.from_pretrained('~/models/bert')",
           "AutoModel.from_pretrained('outputs/run1/checkpoint-500')",
           "AutoModel.from_pretrained('model.bin')",
           "SentenceTransformer('models/encoder/final')",
           // Values mlaudit cannot follow: unknown never reports.
           "def load(name):\n    return AutoModel.from_pretrained(name)",
           "import sys\nAutoModel.from_pretrained(sys.argv[1])",
           "def load(rev):\n    return AutoModel.from_pretrained('org/m', revision=rev)",
           "def load(**kwargs):\n    return AutoModel.from_pretrained('org/m', **kwargs)",
           "AutoModel.from_pretrained(f'org/{size}')",
           // Not the Hugging Face libraries' from_pretrained.
           "class Mine:\n    pass\nMine.from_pretrained('org/m')",
           "from_pretrained('org/m')",
       }) {
    CAPTURE(code);
    CHECK(findings_for(code) == 0);
  }
}

TEST_CASE("unpinned-model-revision: aliased imports are resolved") {
  Files files = {{"a.py", "import transformers as tf\nimport huggingface_hub as hh\nfrom transformers import AutoModel as AM\n"
                          "m = tf.AutoModel.from_pretrained('org/a')\n"
                          "p = hh.snapshot_download('org/b')\n"
                          "q = AM.from_pretrained('org/c')\n"}};
  auto ws = build_workspace(files);
  auto found = ws.of("a.py", "unpinned-model-revision");
  REQUIRE(found.size() == 3);
  CHECK(covered(files, "a.py", found[0]) == "'org/a'");  // on the repo id it downloads
  CHECK(found[0].range.start.line == 3);
  CHECK(found[1].message.find("hh.snapshot_download") != std::string::npos);
  CHECK(found[2].range.start.line == 5);
}

TEST_CASE("unpinned-model-revision: nothing in a workspace that is not ML code, and a suppression holds") {
  // A project whose "from_pretrained" is its own: no Hugging Face import, not ML.
  Files plain = {{"app.py", "class Theme:\n    @classmethod\n    def from_pretrained(cls, n):\n        return cls()\n"
                            "Theme.from_pretrained('dark/blue')\n"}};
  CHECK(build_workspace(plain).of("app.py", "unpinned-model-revision").empty());
  Files suppressed = {{"m.py", "from transformers import AutoModel\n"
                               "m = AutoModel.from_pretrained('org/m')  # mlaudit: ignore[unpinned-model-revision]\n"}};
  CHECK(build_workspace(suppressed).of("m.py", "unpinned-model-revision").empty());
}

TEST_CASE("unpinned-model-revision: local folders named like Hub ids are not reported") {
  for (const std::string& code : std::vector<std::string>{
           "AutoModel.from_pretrained('checkpoints')",
           "AutoModel.from_pretrained('saved_model')",
           "AutoModel.from_pretrained('outputs/checkpoint-500')",
           "AutoModel.from_pretrained('models/bert-finetuned')",
           "AutoModel.from_pretrained('run-3/checkpoint-1200')",
           "SentenceTransformer('output')",
       }) {
    CAPTURE(code);
    CHECK(findings_for(code) == 0);
  }
  // Control: Hub ids of the same shapes are still reported.
  CHECK(findings_for("AutoModel.from_pretrained('gpt2')") == 1);
  CHECK(findings_for("AutoModel.from_pretrained('acme/bert-finetuned')") == 1);
}
