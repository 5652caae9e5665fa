// The signal reader of documentation and governance files (analyzers/signal_readers.cpp
// registers it). Which files, by name (case-insensitive unless said):
//   README, README.md/.rst/.txt/.markdown  anywhere (the root's, and per package or model)
//   MODEL_CARD*.md, model_card*.md, model-card*.md, modelcard*.md
//   DATASHEET*.md, datasheet*.md, data_card*.md, data-card*.md, dataset_card*.md, dataset-card*.md
//   CODEOWNERS (exact case; GitHub reads it at the root, in .github/ and in docs/)
//   pull_request_template.md anywhere, and *.md in a PULL_REQUEST_TEMPLATE/ folder
//   CONTRIBUTING.md/.rst/.txt, SECURITY.md
//   architecture decision records: NNNN-title.md (or adr-NNNN-...) in a folder named adr,
//   adrs, decisions, decision-records or architecture-decisions
// Signals (detail in quotes; never file content beyond headings' and keys' names):
//   docs.readme              a README. "README.md: 7 sections"
//   docs.reproduce-steps     a README section on reproducing, or on setup together with one on
//                            training or evaluation, each with real text. "README.md: ## Setup, ## Training"
//   docs.setup-steps         a README section on installation/setup/usage only. "README.md: ## Installation"
//   docs.model-card          a model card: a MODEL_CARD file, or a README whose YAML front matter
//                            has Hugging Face model keys (model-index, base_model, pipeline_tag,
//                            library_name, datasets; not a Space's `sdk`). "README.md: Hugging Face model card (base_model, license)"
//   docs.model-card-complete a model card covering intended use, training data, evaluation and
//                            limitations (sections with real text, not the template's
//                            "[More Information Needed]"; model-index counts as evaluation,
//                            `datasets:` as training data). "MODEL_CARD.md covers intended use, ..."
//   docs.bias-section        a model or dataset card section on bias or fairness with real text.
//   docs.dataset-card        a datasheet or dataset card (by name, or a README whose front
//                            matter has task_categories, size_categories, dataset_info, ...).
//   docs.data-splits         a datasheet/dataset card section on splits, or split metadata.
//   docs.codeowners          CODEOWNERS with at least one rule naming an owner. "CODEOWNERS assigns owners to 3 paths"
//   docs.pr-template         a pull request template with real text. "pull request template with 4 checklist items"
//   docs.contributing        CONTRIBUTING with real text.
//   docs.adr                 an architecture decision record. "architecture decision record 0001-use-dvc.md"
//   docs.security-policy     SECURITY.md (no checklist item asks for it yet).
// Invalid YAML front matter is a facts::ParseError at its line (rule malformed-file).
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::docs {

bool reads_doc_file(std::string_view path);
void read_doc_signals(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::docs
