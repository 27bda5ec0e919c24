#!/usr/bin/env bash
# Score the extractor on gold articles: scripts/score-dev.sh [GOLD_DIR] [--details]
# GOLD_DIR defaults to the shared dev gold; tests/extraction/gold_wikinews is our second dev set.
set -euo pipefail
cd "$(dirname "$0")/.."
gold=../shared/eval/dev
if [[ $# -gt 0 && -d "$1" ]]; then
    gold=$1
    shift
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 ../shared/eval/score.py inputs "$gold" > "$tmp/in.jsonl"
.venv/bin/newsmeta extract < "$tmp/in.jsonl" > "$tmp/pred.jsonl"
python3 ../shared/eval/score.py score "$gold" "$tmp/pred.jsonl" "$@"
