#!/usr/bin/env bash
# Part of `npm run lint`: fails when code under ts/, test/, bench/, crates/ or scripts/ cites a Markdown
# document that is not in the repository (a bare name of a document that only exists elsewhere), so
# that every cited fact can be looked up from a clone. A cited path resolves from the repository root or
# from the citing file's folder; web addresses are not checked. Prints each bad citation as file:line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

status=0
while IFS=: read -r file line ref; do
  [[ "$ref" == //* ]] && continue # the tail of a web address
  [[ -f "$ref" || -f "$(dirname "$file")/$ref" ]] && continue
  echo "$file:$line: cites $ref, which is not in the repository (docs/ holds the documents code cites)" >&2
  status=1
done < <(
  grep -rnoE --include='*.ts' --include='*.js' --include='*.rs' --include='*.sh' --include='*.py' \
    --exclude-dir=target --exclude-dir=bin --exclude-dir=node_modules \
    '[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b' ts test bench crates scripts || true
)
if [[ $status -ne 0 ]]; then
  echo 'check-doc-refs: cite docs/<file>.md §N instead (or add the document to docs/)' >&2
fi
exit $status
