#!/usr/bin/env bash
# Score the extractor on the dev gold: scripts/score-dev.sh [--details]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 ../shared/eval/score.py inputs ../shared/eval/dev > "$tmp/in.jsonl"
.venv/bin/newsmeta extract < "$tmp/in.jsonl" > "$tmp/pred.jsonl"
python3 ../shared/eval/score.py score ../shared/eval/dev "$tmp/pred.jsonl" "$@"
