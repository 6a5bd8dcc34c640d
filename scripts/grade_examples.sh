#!/usr/bin/env bash
# Grades every folder under examples/submissions/<exercise>/ with the default sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results}
for folder in examples/submissions/*/; do
  exercise=$(basename "$folder")
  grader grade "$exercise" "$folder"* --out "$out/$exercise" --seed 2024
done
echo "Reports: $out/<exercise>/<submission>/report.html"
