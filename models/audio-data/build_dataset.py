#!/usr/bin/python3
"""Builds the audio classifier's dataset from recordings shipped by Debian packages.

Every source file is decoded by ffmpeg to 16 kHz mono 16-bit PCM (whatever its rate: telephone
prompts at 8 kHz, game music at 44.1/48 kHz), capped in length, deduplicated by the hash of the
file and of the decoded audio, and written as raw little-endian s16 under
OUT/<split>/<label>/<package>/. Quiet one-second stretches of any source become 'silence'.
Splits: 'test' holds whole packages that training never sees (other speakers, composers) and,
for noise and alarms, which few packages ship, one sound in three of each package (variants of a
sound kept together); 'validation' holds one file in six of the rest, for early stopping.
MIDI tracks are rendered with fluidsynth, extra speech is synthesised with espeak-ng.

Usage: models/audio-data/build_dataset.py --out DIR   (after install-packages.sh)
Standard library only (run with Debian's /usr/bin/python3; audioop is in 3.11).
"""

import argparse
import audioop
import csv
import glob
import hashlib
import os
import math
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

RATE = 16000
SILENCE_DBFS = -50.0

# (label, split, package, globs, exclude regex on the base name, most files, cap seconds per file)
SOURCES = [
    ("speech", "train", "asterisk-core-sounds-en-wav", ["/usr/share/asterisk/sounds/en_US_f_Allison/**/*.wav"], None, 400, 8),
    ("speech", "train", "asterisk-core-sounds-fr-wav", ["/usr/share/asterisk/sounds/fr_CA_f_June/**/*.wav"], None, 400, 8),
    ("speech", "train", "asterisk-core-sounds-es-wav", ["/usr/share/asterisk/sounds/es_MX_f_Allison/**/*.wav"], None, 400, 8),
    ("speech", "train", "tuxpaint-stamps-default", ["/usr/share/tuxpaint/stamps/**/*_desc*.ogg"], None, 500, 8),
    ("speech", "train", "fillets-ng-data-cs", ["/usr/share/games/fillets-ng/sound/**/cs/*.ogg"], None, 400, 8),
    ("speech", "train", "klettres-data", ["/usr/share/klettres/**/*.ogg"], None, 400, 8),
    ("speech", "test", "asterisk-core-sounds-ru-wav", ["/usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU/**/*.wav"], None, 150, 8),
    ("speech", "test", "ktuberling-data", ["/usr/share/ktuberling/sounds/*/*.wav", "/usr/share/ktuberling/sounds/*/*.ogg",
                                           "/usr/share/ktuberling/sounds/*/*.opus"], None, 150, 8),
    ("speech", "test", "festvox-ru", ["/usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/*.wav"], None, 150, 8),
    ("music", "train", "wesnoth-1.16-music", ["/usr/share/games/wesnoth/1.16/data/core/music/*.ogg"], None, 100, 90),
    ("music", "train", "warzone2100-music", ["/usr/share/games/warzone2100/music/**/*.opus"], None, 100, 90),
    ("music", "train", "openttd-openmsx", ["/usr/share/games/openttd/baseset/openmsx/*.mid"], None, 100, 90),
    ("music", "test", "singularity-music", ["/usr/share/games/singularity/music/**/*.ogg"], None, 100, 60),
    ("music", "test", "drascula-music", ["/usr/share/scummvm/drascula/**/*.ogg"], None, 100, 60),
    ("music", "test", "supertuxkart-data", ["/usr/share/games/supertuxkart/data/music/*.ogg"], None, 100, 60),
    # Effects with voices, tunes or beeps in them are left out of 'noise'.
    ("noise", "mixed", "wesnoth-1.16-data", ["/usr/share/games/wesnoth/1.16/data/core/sounds/*.ogg",
                                              "/usr/share/games/wesnoth/1.16/data/core/sounds/*.wav",
                                              "/usr/share/games/wesnoth/1.16/data/core/sounds/ambient/*.ogg"],
     r"die|hit|laugh|groan|shriek|scream|horn|fanfare|heal|holy|faerie|gold|yell|cry|roar|growl|hiss|squeal|"
     r"wail|wolf|bark|chant|giggle|bell|chime|magic|lich|ghost|wail|sing|moan|cheer|ugg|neigh|whinny", 120, 20),
    ("noise", "mixed", "sonic-pi-samples", ["/usr/share/sonic-pi/samples/*.flac"],
     r"^(?!(ambi_(dark_woosh|drone|glass_rub|haunted_hum|lunar_land|sauna|soft_buzz|swoosh)|bd_|drum_(?!cowbell)|sn_|"
     r"perc_(?!bell)|vinyl_|misc_|glitch_perc|loop_(3d_printer|industrial)))", 100, 20),
    ("noise", "mixed", "supertuxkart-data", ["/usr/share/games/supertuxkart/data/sfx/*.ogg"],
     r"Wilhelm|ugh|wee|airport_pa|restaurant|flute|fanfare|race_finish|gp_end|track_intro|start_race|energy_bar|goal",
     100, 20),
    # Alerts only: log-in, log-out and start-up jingles are tunes, not alarms.
    ("alarm", "mixed", "sound-theme-freedesktop", ["/usr/share/sounds/freedesktop/stereo/*.oga"],
     r"audio-channel|audio-test-signal|camera-shutter|trash-empty|screen-capture|login|logout|service-log", 100, 10),
    ("alarm", "mixed", "oxygen-sounds", ["/usr/share/sounds/Oxygen-*.ogg"], r"Window-|Trash|Log-In|Log-Out", 100, 10),
    ("alarm", "mixed", "deepin-sound-theme", ["/usr/share/sounds/deepin/stereo/*.wav"],
     r"camera-shutter|trash-empty|screen-capture|sent-to-desktop|login|logout|shutdown", 100, 10),
    ("alarm", "mixed", "yaru-theme-sound", ["/usr/share/sounds/Yaru/stereo/*.oga"],
     r"trash-empty|camera-shutter|login|logoff|system-ready", 100, 10),
]

# Short sentences espeak-ng reads in several voices: more speakers, pitches and languages for training.
ESPEAK = {
    "en": ["Please leave a message after the tone.", "The next train to the airport leaves from platform four.",
           "Turn left at the second junction and keep going for three hundred metres.",
           "Good morning, this is your captain speaking.", "Seven, three, nine, one, five."],
    "de": ["Bitte schließen Sie die Türen.", "Der nächste Halt ist der Hauptbahnhof.",
           "Heute bleibt es trocken bei zwanzig Grad."],
    "it": ["Il treno per Milano parte dal binario sei.", "Grazie per aver chiamato, restate in linea."],
    "pt": ["Por favor, aguarde o próximo atendente disponível.", "A reunião começa às dez horas."],
    "pl": ["Proszę zachować ostrożność na peronie.", "Dzień dobry, w czym mogę pomóc?"],
    "nl": ["De vergadering begint om negen uur.", "Let op, de deuren sluiten."],
    "sv": ["Nästa station är centralen.", "Tack för att du ringde."],
    "tr": ["Lütfen kapılardan uzak durunuz.", "Bir sonraki durak merkez istasyonu."],
}
ESPEAK_VARIANTS = ["", "+m3", "+f2", "+f4", "+m7", "+klatt"]


def licence(package):
    path = f"/usr/share/doc/{package}/copyright"
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("License:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "see " + path


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def decode(path, cap_seconds):
    """16 kHz mono s16le bytes of a file (MIDI rendered by fluidsynth first), at most cap seconds."""
    source = path
    tmp = None
    if path.endswith(".mid"):
        tmp = tempfile.NamedTemporaryFile(suffix=".wav", delete=False)
        tmp.close()
        subprocess.run(["fluidsynth", "-ni", "-g", "0.6", "-r", "44100", "-F", tmp.name,
                        "/usr/share/sounds/sf2/FluidR3_GM.sf2", path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        source = tmp.name
    try:
        out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", source, "-t", str(cap_seconds),
                              "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
                             check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout
    finally:
        if tmp:
            os.unlink(tmp.name)
    return out


def quiet_stretches(pcm):
    """Whole seconds whose level is below SILENCE_DBFS but not digital zero throughout."""
    second = RATE * 2
    out = []
    for start in range(0, len(pcm) - second + 1, second):
        chunk = pcm[start:start + second]
        rms = audioop.rms(chunk, 2)
        if rms > 0 and 20 * math.log10(rms / 32768) < SILENCE_DBFS:
            out.append(chunk)
    return out


def split_of(split, digest, path):
    """'test' packages are held out whole; in 'mixed' ones (the few that ship effects or alert
    sounds) one sound in three is held out, variants of a sound (name-1, name-2...) together."""
    if split == "test":
        return "test"
    if split == "mixed":
        group = re.sub(r"[-_ ]*\d*$", "", os.path.splitext(os.path.basename(path))[0]).lower()
        if int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) % 3 == 0:
            return "test"
    return "validation" if int(digest[:8], 16) % 6 == 0 else "train"


def espeak_files(work):
    os.makedirs(work, exist_ok=True)
    files = []
    n = 0
    for lang, sentences in ESPEAK.items():
        for s_i, sentence in enumerate(sentences):
            for v_i, variant in enumerate(ESPEAK_VARIANTS):
                speed = 130 + 25 * ((s_i + v_i) % 4)
                pitch = 30 + 12 * ((s_i * 3 + v_i) % 5)
                out = os.path.join(work, f"{lang}-{s_i}-{v_i}.wav")
                subprocess.run(["espeak-ng", "-v", lang + variant, "-s", str(speed), "-p", str(pitch), "-w", out,
                                sentence], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                files.append(out)
                n += 1
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="dataset directory to write")
    parser.add_argument("--jobs", type=int, default=2, help="ffmpeg processes at once")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    sources = list(SOURCES)
    sources.append(("speech", "train", "espeak-ng", espeak_files(os.path.join(args.out, "espeak-work")), None, 1000, 10))

    seen_files, seen_audio = set(), set()
    rows = []
    quiet = {}
    started = time.time()
    for label, split, package, patterns, exclude, most, cap in sources:
        files = []
        for p in patterns:
            files.extend(glob.glob(p, recursive=True) if "*" in p else [p])
        files = sorted(set(f for f in files if not (exclude and re.search(exclude, os.path.basename(f)))))
        if not files:
            sys.exit(f"no files for {package} ({label}): run models/audio-data/install-packages.sh first")
        hashed = []
        for f in files:
            digest = sha256_file(f)
            if digest not in seen_files:
                seen_files.add(digest)
                hashed.append((digest, f))
        hashed = sorted(hashed)[:most]  # a stable, content-chosen subset
        with ThreadPoolExecutor(args.jobs) as pool:
            decoded = list(pool.map(lambda hf: decode(hf[1], cap), hashed))
        kept = 0
        for (digest, f), pcm in zip(hashed, decoded):
            audio_digest = hashlib.sha256(pcm).hexdigest()
            if len(pcm) < RATE // 5 or audio_digest in seen_audio:
                continue
            seen_audio.add(audio_digest)
            s = split_of(split, digest, f)
            rel = os.path.join(s, label, package, digest[:16] + ".s16")
            os.makedirs(os.path.join(args.out, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(args.out, rel), "wb") as out:
                out.write(pcm)
            source = f if package != "espeak-ng" else "espeak-ng " + os.path.basename(f)
            rows.append([s, label, package, source, rel, round(len(pcm) / 2 / RATE, 3)])
            quiet.setdefault((s, package), []).extend(quiet_stretches(pcm))
            kept += 1
        print(f"{label:7s} {split:5s} {package:30s} {kept:4d} files ({time.time() - started:.0f} s)", flush=True)

    for (s, package), chunks in sorted(quiet.items()):
        if not chunks:
            continue
        rel = os.path.join(s, "silence", package, "quiet-stretches.s16")
        os.makedirs(os.path.join(args.out, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(args.out, rel), "wb") as out:
            out.write(b"".join(chunks))
        rows.append([s, "silence", package, "quiet stretches (< -50 dBFS) of " + package, rel, len(chunks)])
    print(f"silence: quiet stretches of {sum(len(c) for c in quiet.values())} s in all", flush=True)

    with open(os.path.join(args.out, "manifest.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["split", "label", "package", "source", "path", "seconds"])
        w.writerows(rows)
    packages = sorted({r[2] for r in rows})
    with open(os.path.join(args.out, "licences.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["package", "licence"])
        for p in packages:
            w.writerow([p, licence(p) if p != "espeak-ng" else "generated by espeak-ng (GPL-3+) from sentences in "
                        "build_dataset.py"])
    totals = {}
    for r in rows:
        key = (r[0], r[1])
        totals[key] = totals.get(key, 0) + float(r[5])
    for (s, label), seconds in sorted(totals.items()):
        print(f"{s:10s} {label:7s} {seconds:8.0f} s")
    print(f"wrote {len(rows)} sources to {args.out} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
