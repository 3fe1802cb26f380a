#!/usr/bin/env bash
# Cuts video into segments the Argus job reads: H.264 in MPEG-TS, a keyframe every second and a
# segment every second, each starting on its keyframe, so every segment decodes on its own; no
# B-frames, so that the segment times in the list are the times of their first frames.
# Writes OUTDIR/seg-NNNNN.ts and OUTDIR/segments.csv (file,start,end in seconds of the input's
# timeline), which argus_produce_segments.py sends to Kafka. See docs/wire-formats.md.
#
#   ffmpeg-segments.sh INPUT OUTDIR [FPS]
#
# INPUT is anything ffmpeg reads: a file, or a camera (rtsp://..., /dev/video0); for a camera,
# stop it with Ctrl-C and run the producer with --follow beside it. Audio is left out here
# (the audio topic takes PCM chunks or AAC/Opus segments, see the wire format).
set -euo pipefail
input="$1"
out="$2"
fps="${3:-25}"
mkdir -p "$out"
exec ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input" -an \
  -c:v libx264 -preset veryfast -bf 0 -pix_fmt yuv420p -r "$fps" \
  -force_key_frames 'expr:gte(t,n_forced*1)' -sc_threshold 0 \
  -f segment -segment_time 1 -segment_format mpegts -reset_timestamps 1 \
  -segment_list "$out/segments.csv" -segment_list_type csv \
  "$out/seg-%05d.ts"
