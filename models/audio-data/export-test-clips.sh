#!/usr/bin/env bash
# Writes the held-out audio clips the project ships (after build_dataset.py):
#   tests/src/test/resources/audio/heldout/<label>.opus   60 one-second clips per label, from the
#       test packages, for the accuracy test and the audio end-to-end test;
#   tests/kit/src/main/resources/io/argus/testkit/sounds/<label>.opus   4 s per label
#       (clips 4-7, not those the end-to-end test uses) for the demo clip's sound track.
# Usage: models/audio-data/export-test-clips.sh DATASET_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${1:?usage: export-test-clips.sh DATASET_DIR}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ROOT/bin/argus" export-audio-clips --data "$DATA" --out "$WORK" --per-label 60
HELDOUT="$ROOT/tests/src/test/resources/audio/heldout"
SOUNDS="$ROOT/tests/kit/src/main/resources/io/argus/testkit/sounds"
mkdir -p "$HELDOUT" "$SOUNDS"
for label in speech music silence noise alarm; do
  # Opus at 32 kb/s, metadata stripped so that the files are the same on every run
  ffmpeg -v error -y -i "$WORK/$label.wav" -c:a libopus -b:a 32k -map_metadata -1 -fflags +bitexact \
    "$HELDOUT/$label.opus"
  if [[ $label != silence ]]; then
    ffmpeg -v error -y -ss 4 -t 4 -i "$WORK/$label.wav" -c:a libopus -b:a 32k -map_metadata -1 -fflags +bitexact \
      "$SOUNDS/$label.opus"
  fi
done
ls -l "$HELDOUT" "$SOUNDS"
