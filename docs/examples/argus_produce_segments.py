#!/usr/bin/env python3
"""Sends video segments cut by ffmpeg-segments.sh to the Argus video topic in the media wire
format (docs/wire-formats.md): key = the stream id, value = the segment, argus.* headers.

    argus_produce_segments.py --segments OUTDIR/segments.csv --stream lobby-cam \\
        --capture-start 1767225600000 --bootstrap-servers kafka:9092

--capture-start is the capture time, epoch ms, of the input's time 0: a segment starting at s
seconds was captured at capture-start + 1000 s. For a camera, take the time ffmpeg started
(date +%s%3N). Needs confluent-kafka (Debian: python3-confluent-kafka; pip: confluent-kafka).
"""
import argparse
import csv
import os
import sys
import time

from confluent_kafka import Producer


def rows(path, follow):
    """The segment list's rows; with follow, waits for new ones until interrupted."""
    seen = 0
    while True:
        with open(path, newline="") as f:
            done = list(csv.reader(f))
        for row in done[seen:]:
            yield row
        seen = len(done)
        if not follow:
            return
        time.sleep(0.2)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--segments", required=True, help="segments.csv written by ffmpeg's segment muxer")
    p.add_argument("--stream", required=True, help="stream id: 1-128 of A-Z a-z 0-9 . _ : @ / -")
    p.add_argument("--capture-start", type=int, required=True, help="capture time of the input's time 0, epoch ms")
    p.add_argument("--frame-rate", type=float, default=25.0, help="frames per second (default: 25)")
    p.add_argument("--topic", default="argus.video", help="video topic (default: argus.video)")
    p.add_argument("--bootstrap-servers", default="localhost:9092")
    p.add_argument("--follow", action="store_true", help="keep sending segments as ffmpeg adds them")
    args = p.parse_args()

    producer = Producer({
        "bootstrap.servers": args.bootstrap_servers,
        "enable.idempotence": True,          # no duplicates on retries; keeps each stream's order
        "message.max.bytes": 16 * 1024 * 1024,
    })
    failures = []
    folder = os.path.dirname(os.path.abspath(args.segments))
    sent = 0
    for seq, (name, start, end) in enumerate(rows(args.segments, args.follow)):
        with open(os.path.join(folder, name), "rb") as f:
            payload = f.read()
        start_ms = round(float(start) * 1000)
        headers = [
            ("argus.format", b"1"),
            ("argus.kind", b"video"),
            ("argus.codec", b"h264"),
            ("argus.container", b"mpegts"),
            ("argus.capture-time", str(args.capture_start + start_ms).encode()),
            ("argus.duration-ms", str(round(float(end) * 1000) - start_ms).encode()),
            ("argus.seq", str(seq).encode()),
            ("argus.frame-rate", repr(args.frame_rate).encode()),
        ]
        producer.produce(args.topic, key=args.stream.encode(), value=payload, headers=headers,
                         on_delivery=lambda err, msg: err and failures.append(str(err)))
        producer.poll(0)
        sent += 1
    left = producer.flush(60)
    if failures or left:
        print(f"argus_produce_segments: {len(failures) + left} of {sent} segments not delivered: "
              f"{failures[:1] or 'flush timed out'}", file=sys.stderr)
        return 1
    print(f"argus_produce_segments: sent {sent} segments of stream {args.stream} to {args.topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
