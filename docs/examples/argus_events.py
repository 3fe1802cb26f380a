#!/usr/bin/env python3
"""Reads Argus events (docs/wire-formats.md) as a downstream consumer should: committed
transactions only, schema checked, one line per event.

    argus_events.py --bootstrap-servers kafka:9092 --group my-dashboard

Prints "STREAM KIND START-END LABEL SCORE MODEL@VERSION" (window times in epoch ms), with the
people in view on action events and the track and box on person events. Needs confluent-kafka
(Debian: python3-confluent-kafka; pip: confluent-kafka).
"""
import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException


def describe(e):
    line = (f"{e['streamId']} {e['kind']} {e['window']['start']}-{e['window']['end']} {e['label']} "
            f"{e['score']:.3f} {e['model']['name']}@{e['model']['version']}")
    if "people" in e:
        line += f" people={e['people']}"
    if "person" in e:
        line += f" track={e['person']['track']} box={e['person'].get('box')}"
    return line


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap-servers", default="localhost:9092")
    p.add_argument("--topic", default="argus.events")
    p.add_argument("--group", default="argus-events-example", help="consumer group (default: argus-events-example)")
    p.add_argument("--from-beginning", action="store_true", help="a new group starts at the oldest event")
    p.add_argument("--max-events", type=int, default=0, help="stop after this many events (default: never)")
    p.add_argument("--idle-timeout", type=float, default=0, help="stop after this many seconds without events")
    args = p.parse_args()

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": args.group,
        # The job writes in Kafka transactions: read only what its checkpoints committed.
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest" if args.from_beginning else "latest",
        "enable.auto.commit": True,
    })
    consumer.subscribe([args.topic])
    read = 0
    last = time.monotonic()
    try:
        while not args.max_events or read < args.max_events:
            msg = consumer.poll(0.5)
            if msg is None:
                if args.idle_timeout and time.monotonic() - last > args.idle_timeout:
                    break
                continue
            if msg.error():
                raise KafkaException(msg.error())
            last = time.monotonic()
            event = json.loads(msg.value())
            if event.get("schema") != 1:      # a consumer refuses schema versions it does not know
                print(f"skipped an event of schema {event.get('schema')}", file=sys.stderr)
                continue
            print(describe(event), flush=True)
            read += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
