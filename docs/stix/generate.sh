#!/bin/sh
# Writes the worked examples of docs/STIX.md: one bundle per example bulletin of Schemas/examples,
# made by `bordernet export stix --file`; a correction and a withdrawal are exported after the
# bulletin they correct or withdraw (same bundle). Tests/STIXTests checks the files are current.
# Run from the repository's root after `swift build --product bordernet`.
set -eu
bordernet=${BORDERNET:-.build/debug/bordernet}
for file in Schemas/examples/*.json; do
  name=$(basename "$file" .json)
  case "$name" in
    *.correction | *.withdrawal)
      target=$(sed -n 's/^  "\(corrects\|withdraws\)": "\(.*\)",\{0,1\}$/\2/p' "$file")
      first=$(grep -l "^  \"id\": \"$target\"" Schemas/examples/*.json)
      "$bordernet" export stix --schemas Schemas --file "$first" --file "$file" --out "docs/stix/$name.json" ;;
    *)
      "$bordernet" export stix --schemas Schemas --file "$file" --out "docs/stix/$name.json" ;;
  esac
done
