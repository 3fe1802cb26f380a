#!/usr/bin/python3
"""Builds the audio classifier's dataset from recordings shipped by Debian packages.

Every source file is decoded by ffmpeg to 16 kHz mono 16-bit PCM (whatever its rate: telephone
prompts at 8 kHz, game music at 44.1/48 kHz), capped in length, deduplicated by the hash of the
file and of the decoded audio, and written as raw little-endian s16 under
OUT/<split>/<label>/<package>/. Quiet one-second stretches of any source become 'silence'.
Every package belongs to one of three folds; training for test fold k never sees fold k's
packages (other speakers, composers, sound designers): leave packages out. Within the other
folds, 'validation' holds one file in six of every package, for early stopping.
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

# Every package belongs to one of FOLDS folds, and a fold's packages are held out whole when it is
# the test fold (leave packages out): the model is scored on voices, composers and sound designers
# it never heard. Each fold holds packages of every label; all labels of one package share its fold.
# Speech is spread by recording condition, so that every fold's training hears each kind: telephone
# prompts (Asterisk, one speaker in two packages, so one fold), read descriptions and read speech
# (Tux Paint, festvox), single words and letters (KTuberling, KLettres: different folds) and acted
# dialogue and game voices (Fillets, Hedgewars: different folds).
FOLDS = 3
FOLD = {
    # fold 0: the test fold of a model meant to replace the bundled one (the tests' clips then come from it)
    "asterisk-core-sounds-en-wav": 0, "asterisk-core-sounds-fr-wav": 0, "asterisk-core-sounds-es-wav": 0,
    "asterisk-core-sounds-ru-wav": 0, "asterisk-core-sounds-it-wav": 0, "klettres-data": 0,
    "singularity-music": 0, "drascula-music": 0,
    "supertuxkart-data": 0, "widelands-data": 0, "wesnoth-1.16-data": 0, "deepin-sound-theme": 0,
    "yaru-theme-sound": 0, "pidgin-data": 0, "sound-icons": 0,
    # fold 1
    "tuxpaint-stamps-default": 1, "festvox-ru": 1, "hedgewars-data": 1, "wesnoth-1.16-music": 1, "pingus-data": 1,
    "lincity-ng-data": 1, "minetest-data": 1, "sonic-pi-samples": 1, "sound-theme-freedesktop": 1, "lomiri-sounds": 1,
    "twinkle-common": 1, "psi-plus-sounds": 1, "colobot-common-sounds": 1,
    # fold 2
    "fillets-ng-data-cs": 2, "ktuberling-data": 2, "warzone2100-music": 2, "openttd-openmsx": 2,
    "xmoto-data": 2, "frozen-bubble-data": 2, "supertux-data": 2, "freedroidrpg-data": 2, "oxygen-sounds": 2,
    "linphone-common": 2, "eiskaltdcpp-sounds": 2,
}

# (label, package, globs, exclude regex on the base name, most files, cap seconds per file
#  [, exclude regex on the whole path])
SOURCES = [
    ("speech", "asterisk-core-sounds-en-wav", ["/usr/share/asterisk/sounds/en_US_f_Allison/**/*.wav"], None, 300, 8),
    ("speech", "asterisk-core-sounds-fr-wav", ["/usr/share/asterisk/sounds/fr_CA_f_June/**/*.wav"], None, 300, 8),
    ("speech", "asterisk-core-sounds-es-wav", ["/usr/share/asterisk/sounds/es_MX_f_Allison/**/*.wav"], None, 300, 8),
    ("speech", "asterisk-core-sounds-ru-wav", ["/usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU/**/*.wav"], None, 300, 8),
    ("speech", "asterisk-core-sounds-it-wav", ["/usr/share/asterisk/sounds/it_IT_m_Carlo/**/*.wav"], None, 300, 8),
    ("speech", "tuxpaint-stamps-default", ["/usr/share/tuxpaint/stamps/**/*_desc*.ogg"], None, 500, 8),
    ("speech", "fillets-ng-data-cs", ["/usr/share/games/fillets-ng/sound/**/cs/*.ogg"], None, 400, 8),
    ("speech", "klettres-data", ["/usr/share/klettres/**/*.ogg"], None, 400, 8),
    ("speech", "ktuberling-data", ["/usr/share/ktuberling/sounds/*/*.wav", "/usr/share/ktuberling/sounds/*/*.ogg",
                                   "/usr/share/ktuberling/sounds/*/*.opus"], None, 400, 8),
    ("speech", "festvox-ru", ["/usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/*.wav"], None, 300, 8),
    # Game characters' exclamations in several accents (the robot and the singer left out).
    ("speech", "hedgewars-data", ["/usr/share/games/hedgewars/Data/Sounds/voices/*/*.ogg"], None, 400, 8,
     r"/(Robot|Singer)/"),
    ("music", "wesnoth-1.16-music", ["/usr/share/games/wesnoth/1.16/data/core/music/*.ogg"], None, 100, 90),
    ("music", "warzone2100-music", ["/usr/share/games/warzone2100/music/**/*.opus"], None, 100, 90),
    ("music", "openttd-openmsx", ["/usr/share/games/openttd/baseset/openmsx/*.mid"], None, 100, 90),
    ("music", "singularity-music", ["/usr/share/games/singularity/music/**/*.ogg"], None, 100, 60),
    ("music", "drascula-music", ["/usr/share/scummvm/drascula/**/*.ogg"], None, 100, 60),
    ("music", "supertuxkart-data", ["/usr/share/games/supertuxkart/data/music/*.ogg"], None, 100, 60),
    ("music", "widelands-data", ["/usr/share/games/widelands/data/music/*.ogg"], None, 100, 60),
    ("music", "pingus-data", ["/usr/share/games/pingus/data/music/*.it", "/usr/share/games/pingus/data/music/*.s3m"],
     None, 100, 60),
    ("music", "lincity-ng-data", ["/usr/share/games/lincity-ng/music/**/*.ogg"], None, 100, 60),
    ("music", "hedgewars-data", ["/usr/share/games/hedgewars/Data/Music/*.ogg"], None, 100, 60),
    ("music", "colobot-common-sounds", ["/usr/share/games/colobot/music/*.ogg"], None, 100, 60),
    ("music", "xmoto-data", ["/usr/share/games/xmoto/Textures/Musics/*.ogg"], None, 100, 60),
    ("music", "frozen-bubble-data", ["/usr/share/games/frozen-bubble/snd/*zik*.ogg"], None, 100, 60),
    ("music", "supertux-data", ["/usr/share/games/supertux2/music/**/*.ogg"], None, 100, 60),
    ("music", "freedroidrpg-data", ["/usr/share/freedroidrpg/data/sound/music/*.ogg"], None, 100, 60),
    # Effects with voices, tunes or beeps in them are left out of 'noise'.
    ("noise", "wesnoth-1.16-data", ["/usr/share/games/wesnoth/1.16/data/core/sounds/*.ogg",
                                     "/usr/share/games/wesnoth/1.16/data/core/sounds/*.wav",
                                     "/usr/share/games/wesnoth/1.16/data/core/sounds/ambient/*.ogg"],
     r"die|hit|laugh|groan|shriek|scream|horn|fanfare|heal|holy|faerie|gold|yell|cry|roar|growl|hiss|squeal|"
     r"wail|wolf|bark|chant|giggle|bell|chime|magic|lich|ghost|wail|sing|moan|cheer|ugg|neigh|whinny", 120, 20),
    ("noise", "sonic-pi-samples", ["/usr/share/sonic-pi/samples/*.flac"],
     r"^(?!(ambi_(dark_woosh|drone|glass_rub|haunted_hum|lunar_land|sauna|soft_buzz|swoosh)|bd_|drum_(?!cowbell)|sn_|"
     r"perc_(?!bell)|vinyl_|misc_|glitch_perc|loop_(3d_printer|industrial)))", 100, 20),
    ("noise", "supertuxkart-data", ["/usr/share/games/supertuxkart/data/sfx/*.ogg"],
     r"Wilhelm|ugh|wee|airport_pa|restaurant|flute|fanfare|race_finish|gp_end|track_intro|start_race|energy_bar|goal",
     100, 20),
    # Outdoor and work ambience: birds, crickets, animals, farms, mills, smiths (not taverns or chat).
    ("noise", "widelands-data", ["/usr/share/games/widelands/data/sound/**/*.ogg"],
     r"lobby|message|click|create_construction", 150, 20, r"/taverns/"),
    # City ambience: traffic, trains, industry, markets, water, wind mills.
    ("noise", "lincity-ng-data", ["/usr/share/games/lincity-ng/sounds/*.wav"], r"Click|School|University|Window",
     150, 20),
    ("noise", "minetest-data", ["/usr/share/games/minetest/games/minetest_game/mods/**/sounds/*.ogg"], None, 120, 20),
    ("noise", "hedgewars-data", ["/usr/share/games/hedgewars/Data/Sounds/*.ogg"],
     r"^\d[A-G]\.ogg$|Yoohoo|hell_|Kiss|hogchant|countdown|beep|minetick|suddendeath|extratime|valkyries|homerun|"
     r"Hellish|Whistle|rubberduck|denied|TARDIS|BirdyLay|custom", 100, 20),
    ("noise", "frozen-bubble-data", ["/usr/share/games/frozen-bubble/snd/*.ogg"],
     r"zik|chatted|cancel|menu_|pause|lose|noh|hurry|newroot", 100, 20),
    ("noise", "supertux-data", ["/usr/share/games/supertux2/sounds/*.wav", "/usr/share/games/supertux2/sounds/*.ogg"],
     r"excellent|welldone|grunts|yeti|tada|lifeup|savebell|phone|ticking|coin|invincible|upgrade|mr_tree|howling|"
     r"hurt|kill|gulp|grow|totem|willo", 100, 20),
    ("noise", "freedroidrpg-data", ["/usr/share/freedroidrpg/data/sound/effects/**/*.ogg"],
     r"Scream|Menu|Takeover|ThouArt|Mission|Shop_|voice|comment|CameraTakes", 100, 20,
     r"/(voice_samples|tux_ingame_comments)/"),
    # Alerts only: log-in, log-out and start-up jingles are tunes, not alarms.
    ("alarm", "sound-theme-freedesktop", ["/usr/share/sounds/freedesktop/stereo/*.oga"],
     r"audio-channel|audio-test-signal|camera-shutter|trash-empty|screen-capture|login|logout|service-log", 100, 10),
    ("alarm", "oxygen-sounds", ["/usr/share/sounds/Oxygen-*.ogg"], r"Window-|Trash|Log-In|Log-Out", 100, 10),
    ("alarm", "deepin-sound-theme", ["/usr/share/sounds/deepin/stereo/*.wav"],
     r"camera-shutter|trash-empty|screen-capture|sent-to-desktop|login|logout|shutdown", 100, 10),
    ("alarm", "yaru-theme-sound", ["/usr/share/sounds/Yaru/stereo/*.oga"],
     r"trash-empty|camera-shutter|login|logoff|system-ready", 100, 10),
    # Phone ring tones, alarm clocks and notifications, melodic ones included: they ring for attention.
    ("alarm", "lomiri-sounds", ["/usr/share/sounds/lomiri/notifications/*.ogg",
                                "/usr/share/sounds/lomiri/ringtones/*.ogg"], None, 100, 10),
    ("alarm", "sound-icons", ["/usr/share/sounds/sound-icons/*.wav"], None, 100, 10),
    ("alarm", "linphone-common", ["/usr/share/sounds/linphone/rings/*.mkv", "/usr/share/sounds/linphone/rings/*.wav",
                                  "/usr/share/sounds/linphone/ringback.wav",
                                  "/usr/share/sounds/linphone/incoming_chat.wav"], None, 100, 10),
    ("alarm", "pidgin-data", ["/usr/share/sounds/purple/*.wav"], None, 100, 10),
    ("alarm", "twinkle-common", ["/usr/share/twinkle/*.wav"], None, 100, 10),
    ("alarm", "psi-plus-sounds", ["/usr/share/psi-plus/sound/*.wav"], None, 100, 10),
    ("alarm", "eiskaltdcpp-sounds", ["/usr/share/eiskaltdcpp/sounds/*.wav"], None, 100, 10),
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


def split_of(digest):
    """One file in six of every package is kept for validation (early stopping), by content hash."""
    return "validation" if int(digest[:8], 16) % 6 == 0 else "train"


def fold_of(package):
    """The package's leave-packages-out fold, '-' for generated audio (never a test)."""
    return str(FOLD[package]) if package in FOLD else "-"


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
    sources.append(("speech", "espeak-ng", espeak_files(os.path.join(args.out, "espeak-work")), None, 1000, 10))
    missing = {s[1] for s in SOURCES} - set(FOLD)
    if missing:
        sys.exit(f"packages without a fold: {sorted(missing)}")
    for label in sorted({s[0] for s in SOURCES}):
        folds = {FOLD[s[1]] for s in SOURCES if s[0] == label}
        if folds != set(range(FOLDS)):
            sys.exit(f"label {label} has packages in folds {sorted(folds)}, not in each of 0-{FOLDS - 1}")

    seen_files, seen_audio = set(), set()
    rows = []
    quiet = {}
    started = time.time()
    for label, package, patterns, exclude, most, cap, *path_exclude in sources:
        files = []
        for p in patterns:
            files.extend(glob.glob(p, recursive=True) if "*" in p else [p])
        files = sorted(set(f for f in files if os.path.isfile(f)
                           and not (exclude and re.search(exclude, os.path.basename(f)))
                           and not (path_exclude and re.search(path_exclude[0], f))))
        if not files:
            sys.exit(f"no files for {package} ({label}): run models/audio-data/install-packages.sh first")
        hashed = []
        for f in files:
            digest = sha256_file(f)
            if digest not in seen_files:
                seen_files.add(digest)
                hashed.append((digest, f))
        hashed = sorted(hashed)[:most]  # a stable, content-chosen subset
        def decoded_once(hf):
            # A file decoded by an earlier run into the same directory is read back, not decoded again.
            digest, f = hf
            done = os.path.join(args.out, split_of(digest), label, package, digest[:16] + ".s16")
            if os.path.isfile(done):
                with open(done, "rb") as cached:
                    return cached.read()
            try:
                return decode(f, cap)
            except subprocess.CalledProcessError as e:
                print(f"skipped {f}: ffmpeg failed: {e.stderr.decode(errors='replace').strip()[:200]}", flush=True)
                return b""

        with ThreadPoolExecutor(args.jobs) as pool:
            decoded = list(pool.map(decoded_once, hashed))
        kept = 0
        for (digest, f), pcm in zip(hashed, decoded):
            audio_digest = hashlib.sha256(pcm).hexdigest()
            if len(pcm) < RATE // 5 or audio_digest in seen_audio:
                continue
            seen_audio.add(audio_digest)
            s = split_of(digest)
            rel = os.path.join(s, label, package, digest[:16] + ".s16")
            os.makedirs(os.path.join(args.out, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(args.out, rel), "wb") as out:
                out.write(pcm)
            source = f if package != "espeak-ng" else "espeak-ng " + os.path.basename(f)
            rows.append([s, label, package, source, rel, round(len(pcm) / 2 / RATE, 3), fold_of(package)])
            quiet.setdefault((s, package), []).extend(quiet_stretches(pcm))
            kept += 1
        print(f"{label:7s} fold {fold_of(package)} {package:30s} {kept:4d} files ({time.time() - started:.0f} s)",
              flush=True)

    for (s, package), chunks in sorted(quiet.items()):
        if not chunks:
            continue
        rel = os.path.join(s, "silence", package, "quiet-stretches.s16")
        os.makedirs(os.path.join(args.out, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(args.out, rel), "wb") as out:
            out.write(b"".join(chunks))
        rows.append([s, "silence", package, "quiet stretches (< -50 dBFS) of " + package, rel, len(chunks),
                     fold_of(package)])
    print(f"silence: quiet stretches of {sum(len(c) for c in quiet.values())} s in all", flush=True)

    with open(os.path.join(args.out, "manifest.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["split", "label", "package", "source", "path", "seconds", "fold"])
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
        key = ("fold " + r[6], r[1])
        totals[key] = totals.get(key, 0) + float(r[5])
    for (s, label), seconds in sorted(totals.items()):
        print(f"{s:10s} {label:7s} {seconds:8.0f} s")
    print(f"wrote {len(rows)} sources to {args.out} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
