#!/usr/bin/env bash
# Installs the Debian packages whose recordings the audio classifier is trained and evaluated on,
# and the tools that cut and render them (ffmpeg, espeak-ng, fluidsynth). About 3 GB to fetch.
# Run as root (or with sudo); docs/audio-data.md lists what each package contributes.
set -euo pipefail
packages=(
  ffmpeg espeak-ng fluidsynth fluid-soundfont-gm
  # speech
  asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav asterisk-core-sounds-es-wav
  asterisk-core-sounds-ru-wav asterisk-core-sounds-it-wav fillets-ng-data-cs tuxpaint-stamps-default
  festvox-ru klettres-data ktuberling-data hedgewars-data
  # music
  warzone2100-music wesnoth-1.16-music singularity-music supertuxkart-data drascula-music
  openttd-openmsx widelands-data pingus-data lincity-ng-data xmoto-data frozen-bubble-data supertux-data
  freedroidrpg-data colobot-common-sounds
  # noise and ambience
  wesnoth-1.16-data sonic-pi-samples minetest-data
  # alarm: alert sounds, ring tones, notifications
  sound-theme-freedesktop oxygen-sounds deepin-sound-theme yaru-theme-sound lomiri-sounds sound-icons
  linphone-common pidgin-data twinkle-common psi-plus-sounds eiskaltdcpp-sounds
)
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
